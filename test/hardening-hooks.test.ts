import { describe, expect, it } from 'vitest';
import type { MCPEvent, PostHogMCP, ToolDescriptor } from '../src/index.js';
import { useProcessWatch } from './helpers/hardening-harness.js';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();
const LIMIT_MS = 400;
/** What a flush may take past the hook limit: its one-second margin, plus a loaded machine's slack. */
const FLUSH_SLACK_MS = 1_000 + 1_500;

useProcessWatch({ quiet: true, expectNone: true });

/** A promise with its resolver outside. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A host hook that answers `value` after `ms` (host code may be slow; this is not the test waiting). */
function answerAfter<T>(ms: number, value: T, settled: Promise<unknown>[]): Promise<T> {
  const answer = new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
  settled.push(answer);
  return answer;
}

/** How a misbehaving hook answers for the victim event: each returns what the hook call returns. */
type Misbehaviour = (value: unknown, settled: Promise<unknown>[]) => unknown;
const NEVER: Misbehaviour = () => new Promise(() => undefined);
const MISBEHAVIOURS: [string, Misbehaviour, 'answered' | 'ignored'][] = [
  ['never settles', NEVER, 'ignored'],
  [
    'is a thenable that never calls back',
    // biome-ignore lint/suspicious/noThenProperty: a thenable that never calls back is the case under test.
    () => ({ then: () => undefined }),
    'ignored',
  ],
  [
    'is a thenable whose then throws',
    () => ({
      // biome-ignore lint/suspicious/noThenProperty: a thenable whose then throws is the case under test.
      then: () => {
        throw new Error('then broke');
      },
    }),
    'ignored',
  ],
  ['rejects', () => Promise.reject(new Error('hook failed')), 'ignored'],
  [
    'throws synchronously',
    () => {
      throw new Error('hook threw');
    },
    'ignored',
  ],
  ['settles just under the limit', (value, settled) => answerAfter(LIMIT_MS / 2, value, settled), 'answered'],
  ['settles just over the limit', (value, settled) => answerAfter(LIMIT_MS * 1.5, value, settled), 'ignored'],
];

function toolNames(): string[] {
  return wire.server.eventsNamed('$mcp_tool_call').map((event) => String(event.properties.$mcp_tool_name));
}

/** Awaits `client.flush()` and returns how long it took. */
async function timedFlush(client: PostHogMCP): Promise<number> {
  const started = Date.now();
  await client.flush();
  return Date.now() - started;
}

describe('a beforeSend that misbehaves costs only its own event', () => {
  it.each(MISBEHAVIOURS)(
    'a hook that %s delays no other event and flush stays bounded',
    async (_, misbehave, fate) => {
      const settled: Promise<unknown>[] = [];
      const reached = deferred();
      const client = wire.client({
        hookTimeoutMs: LIMIT_MS,
        beforeSend: (event: MCPEvent) => {
          if (event.properties.$mcp_tool_name !== 'victim') return event;
          reached.resolve();
          return misbehave(
            { ...event, properties: { ...event.properties, edited: true } },
            settled,
          ) as MCPEvent;
        },
      });
      client.captureToolCall({ toolName: 'victim', durationMs: 1 });
      await reached.promise;
      for (let index = 0; index < 5; index++)
        client.captureToolCall({ toolName: `other_${index}`, durationMs: 1 });

      expect(await timedFlush(client)).toBeLessThan(LIMIT_MS + FLUSH_SLACK_MS);
      await Promise.all(settled);
      await client.flush();
      const names = toolNames();
      expect(names.filter((name) => name.startsWith('other_'))).toHaveLength(5);
      expect(names.includes('victim')).toBe(fate === 'answered');
      const edited = wire.server.eventsNamed('$mcp_tool_call').filter((event) => event.properties.edited);
      expect(edited.map((event) => event.properties.$mcp_tool_name)).toEqual(
        fate === 'answered' ? ['victim'] : [],
      );
      await client.shutdown();
    },
  );

  it('events behind a hung one reach the wire while it still hangs', async () => {
    const reached = deferred();
    const passed = deferred();
    let others = 0;
    const client = wire.client({
      hookTimeoutMs: 60_000,
      beforeSend: (event) => {
        if (event.properties.$mcp_tool_name === 'victim') {
          reached.resolve();
          return new Promise(() => undefined);
        }
        if (++others === 5) passed.resolve();
        return event;
      },
    });
    client.captureToolCall({ toolName: 'victim', durationMs: 1 });
    await reached.promise;
    for (let index = 0; index < 5; index++)
      client.captureToolCall({ toolName: `other_${index}`, durationMs: 1 });
    await passed.promise;
    await client.shutdown(2_000);

    expect(toolNames().sort()).toEqual(['other_0', 'other_1', 'other_2', 'other_3', 'other_4']);
  }, 70_000);

  it('a hook timeout drops the event, is logged once for many events, and drops its $exception too', async () => {
    const logs: string[] = [];
    const client = wire.client({
      hookTimeoutMs: 100,
      logger: (_level, message) => logs.push(message),
      beforeSend: () => new Promise(() => undefined),
    });
    for (let index = 0; index < 3; index++) {
      client.captureToolCall({ toolName: 'victim', durationMs: 1, error: new Error(`failure ${index}`) });
    }
    await client.flush();

    expect(wire.server.events).toEqual([]);
    const timeouts = logs.filter((message) => message.includes('beforeSend did not settle within 100 ms'));
    expect(timeouts).toHaveLength(1);
    await client.shutdown();
  });
});

const VICTIM: ToolDescriptor = {
  name: 'victim',
  inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
};

describe('an intentFallback that misbehaves costs only its own intent', () => {
  it.each(MISBEHAVIOURS)(
    'a fallback that %s delays no other event; its call is still sent',
    async (_, misbehave, fate) => {
      const settled: Promise<unknown>[] = [];
      const logs: string[] = [];
      const client = wire.client({
        hookTimeoutMs: LIMIT_MS,
        logger: (_level, message) => logs.push(message),
        intentFallback: ({ toolName }) =>
          toolName === 'victim' ? (misbehave('slow intent', settled) as string) : 'quick intent',
      });
      client.completeToolCall(client.prepareToolCall('victim', { q: 'x' }, { tool: VICTIM }), {
        result: { content: [] },
      });
      for (let index = 0; index < 5; index++)
        client.captureToolCall({ toolName: `other_${index}`, durationMs: 1 });

      expect(await timedFlush(client)).toBeLessThan(LIMIT_MS + FLUSH_SLACK_MS);
      await Promise.all(settled);
      await client.flush();
      expect(toolNames().filter((name) => name.startsWith('other_'))).toHaveLength(5);
      const victim = wire.server
        .eventsNamed('$mcp_tool_call')
        .find((event) => event.properties.$mcp_tool_name === 'victim');
      expect(victim?.properties.$mcp_intent).toBe(fate === 'answered' ? 'slow intent' : undefined);
      expect(victim?.properties.$mcp_intent_source).toBe(fate === 'answered' ? 'inferred' : undefined);
      await client.shutdown();
    },
  );

  it('a never-settling fallback is logged once however many calls it holds', async () => {
    const logs: string[] = [];
    const client = wire.client({
      hookTimeoutMs: 100,
      logger: (_level, message) => logs.push(message),
      intentFallback: () => new Promise<string>(() => undefined),
    });
    for (let index = 0; index < 4; index++) {
      client.completeToolCall(client.prepareToolCall('victim', { q: `${index}` }, { tool: VICTIM }), {});
    }
    await client.flush();

    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(4);
    expect(
      logs.filter((message) => message.includes('intentFallback did not settle within 100 ms')),
    ).toHaveLength(1);
    await client.shutdown();
  });
});

describe('the hookTimeoutMs option', () => {
  const construct = (value: unknown) =>
    wire.client({ hookTimeoutMs: value as number, logger: 'silent' }).shutdown(0);

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 600_001, '2000', null])(
    'rejects %s at construction with a TypeError naming the option',
    (value) => {
      expect(() => construct(value)).toThrow(TypeError);
      expect(() => construct(value)).toThrow(/hookTimeoutMs/);
    },
  );

  it.each([1, 2_000, 600_000])('accepts %s', async (value) => {
    await expect(construct(value)).resolves.toBeUndefined();
  });
});
