import { describe, expect, it } from 'vitest';
import type { PostHogMCP } from '../src/index';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

interface Entry {
  type: string;
  value: string;
  stacktrace?: { frames: { function?: string }[] };
}

const MAX_EVENT_BYTES = 102_400;
const wire = useIngestionServer();

const propertyBytes = (event: IngestedEvent): number =>
  Buffer.byteLength(JSON.stringify(event.properties), 'utf8');

/** An error built `depth` calls deep, so V8 gives it real frames. */
function errorAt(depth: number, make: () => Error): Error {
  return depth <= 0 ? make() : errorAt(depth - 1, make);
}

function withStackTraceLimit<T>(limit: number, run: () => T): T {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = previous;
  }
}

/** A thrown value made of one recognisable top error and as much nested weight as the shape asks for. */
const SHAPES: [string, () => Error][] = [
  [
    'an AggregateError of 60 errors with 10 frames each',
    () =>
      new AggregateError(
        Array.from({ length: 60 }, (_, i) => errorAt(12, () => new Error(`member ${i} ${'m'.repeat(900)}`))),
        'top',
      ),
  ],
  ['a 1 MB message', () => new Error(`top ${'x'.repeat(1_048_576)}`)],
  [
    'a cause chain 60 deep with 2 KB messages',
    () => {
      let cause: Error | undefined;
      for (let i = 0; i < 60; i++)
        cause = errorAt(10, () => new Error(`cause ${i} ${'c'.repeat(2_000)}`, { cause }));
      return new Error('top', { cause });
    },
  ],
  [
    'an aggregate of 1,000 members',
    () =>
      new AggregateError(
        Array.from({ length: 1_000 }, (_, i) => new RangeError(`m${i}`)),
        'top',
      ),
  ],
  [
    '50 frames with 900-character function names',
    () =>
      withStackTraceLimit(50, () => {
        const name = 'f'.repeat(900);
        const holder = {
          [name]: (depth: number): Error =>
            depth <= 0 ? new Error('top') : (holder[name]?.(depth - 1) as Error),
        };
        return new AggregateError(
          Array.from({ length: 30 }, () => holder[name]?.(60) as Error),
          'top',
        );
      }),
  ],
];

function expectWithinBound(): void {
  expect(wire.server.events.length).toBeGreaterThan(0);
  for (const event of wire.server.events) {
    expect(propertyBytes(event), event.event).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(event.properties).toMatchObject({ $lib: 'posthog-node-mcp', $geoip_disable: true });
    expect(typeof event.properties.$lib_version).toBe('string');
  }
}

function topEntry(): Entry | undefined {
  const [exception] = wire.server.eventsNamed('$exception');
  return (exception?.properties.$exception_list as Entry[] | undefined)?.[0];
}

async function captureFailure(
  client: PostHogMCP,
  error: Error,
  extra: { setProperties?: Record<string, string> } = {},
) {
  client.captureToolCall({ toolName: 'search', distinctId: 'user-1', error, ...extra });
  await client.shutdown();
}

describe('every MCP event stays within 102,400 bytes as sent', () => {
  it.each(SHAPES)('%s gives an $exception within the bound that keeps the top error', async (_, make) => {
    const client = wire.client();
    await captureFailure(client, make());

    expectWithinBound();
    expect(wire.server.eventsNamed('$exception')).toHaveLength(1);
    expect(topEntry()?.value.startsWith('top')).toBe(true);
  });

  it('a large $set next to a wide aggregate stays within the bound and keeps the top error with frames', async () => {
    const client = wire.client();
    const setProperties = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`trait_${i}`, 'v'.repeat(1_000)]),
    );
    await captureFailure(client, SHAPES[0]![1](), { setProperties });

    expectWithinBound();
    expect(topEntry()?.type).toBe('AggregateError');
    expect(topEntry()?.stacktrace?.frames.length).toBeGreaterThan(0);
  });

  it.each([
    ['a tool call', undefined],
    ['an $exception', new AggregateError([errorAt(5, () => new Error('member'))], 'top')],
  ])("%s near the bound stays within it after posthog-node's own properties are added", async (_, error) => {
    const client = wire.client();
    await client.register({ release_notes: 'r'.repeat(12_000) });
    const response = Object.fromEntries(Array.from({ length: 95 }, (_, i) => [`k${i}`, 'x'.repeat(1_000)]));
    const setProperties = error
      ? Object.fromEntries(Array.from({ length: 95 }, (_, i) => [`t${i}`, 'y'.repeat(1_000)]))
      : undefined;
    client.captureToolCall({
      toolName: 'search',
      distinctId: 'user-1',
      response,
      ...(setProperties ? { setProperties } : {}),
      ...(error ? { error } : {}),
    });
    await client.shutdown();

    expectWithinBound();
    for (const event of wire.server.events) expect(event.properties.$mcp_tool_name).toBe('search');
  });
});
