import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PostHogMCPOptions, ToolDescriptor } from '../src/index';
import { CALL_PATHS, callsThrough, type PathCall } from './helpers/signal-paths';
import { useIngestionServer } from './helpers/wire';

/** `exceptionRateLimit`: a storm of one failure sends every call but only so many `$exception` per window. */

const wire = useIngestionServer();
const tools: ToolDescriptor[] = [
  { name: 'charge', inputSchema: { type: 'object', properties: { order: { type: 'string' } } } },
  { name: 'refund', inputSchema: { type: 'object', properties: { order: { type: 'string' } } } },
];

afterEach(() => {
  vi.useRealTimers();
});

const failure = (i: number, name = 'charge', error = new Error(`order ${1000 + i} failed after ${i}.5s`)) =>
  ({ name, args: { order: `A-${i}` }, error }) satisfies PathCall;

const counts = () => ({
  calls: wire.server.eventsNamed('$mcp_tool_call').length,
  exceptions: wire.server.eventsNamed('$exception').map((event) => event.properties),
});

describe.each(CALL_PATHS)('an exception storm through the %s path', (path) => {
  it('50 identical failures send 50 calls and 10 $exception; the next window’s first carries the 40 held back', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = wire.client();
    const send = callsThrough(client, path, tools);
    for (let i = 0; i < 50; i++) send(failure(i));
    await client.flush();
    const first = counts();
    expect(first.calls).toBe(50);
    expect(first.exceptions).toHaveLength(10);
    expect(first.exceptions.every((p) => p.$mcp_exceptions_suppressed === undefined)).toBe(true);
    vi.setSystemTime(Date.now() + 60_000);
    send(failure(50));
    send(failure(51));
    await client.shutdown();
    const after = counts().exceptions.slice(10);
    expect(after.map((p) => p.$mcp_exceptions_suppressed)).toEqual([40, undefined]);
    expect(after[0]?.$mcp_tool_name).toBe('charge');
  });

  it('limits distinct signatures separately: another tool, another type, another message', async () => {
    const client = wire.client({ exceptionRateLimit: { perSignature: 2, windowMs: 60_000 } });
    const send = callsThrough(client, path, tools);
    for (let i = 0; i < 5; i++) {
      send(failure(i));
      send(failure(i, 'refund'));
      send(failure(i, 'charge', new Error(`card ${i} declined`)));
    }
    await client.shutdown();
    const exceptions = counts().exceptions;
    expect(exceptions).toHaveLength(6);
    const signatures = exceptions.map((p) => {
      const [top] = p.$exception_list as { value: string }[];
      return `${p.$mcp_tool_name}: ${top?.value.replace(/\d+(\.\d+)?/g, 'N')}`;
    });
    expect(signatures.sort()).toEqual([
      'charge: card N declined',
      'charge: card N declined',
      'charge: order N failed after Ns',
      'charge: order N failed after Ns',
      'refund: order N failed after Ns',
      'refund: order N failed after Ns',
    ]);
  });
});

describe('the exceptionRateLimit option', () => {
  it('false sends every $exception', async () => {
    const client = wire.client({ exceptionRateLimit: false });
    const send = callsThrough(client, 'steps', tools);
    for (let i = 0; i < 50; i++) send(failure(i));
    await client.shutdown();
    expect(counts().exceptions).toHaveLength(50);
    expect(counts().calls).toBe(50);
  });

  it('a thrown TypeError and a differently typed error with the same message are two signatures', async () => {
    const client = wire.client({ exceptionRateLimit: { perSignature: 1, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      client.captureToolCall({ toolName: 'charge', error: new TypeError('bad input') });
      client.captureToolCall({ toolName: 'charge', error: new RangeError('bad input') });
    }
    await client.shutdown();
    const types = counts().exceptions.map(
      (p) => (p.$exception_list as { type: string }[] | undefined)?.[0]?.type,
    );
    expect(types.sort()).toEqual(['RangeError', 'TypeError']);
  });

  it.each([
    ['zero per signature', { perSignature: 0, windowMs: 1_000 }],
    ['a fraction', { perSignature: 1.5, windowMs: 1_000 }],
    ['a negative window', { perSignature: 1, windowMs: -1 }],
    ['an infinite window', { perSignature: 1, windowMs: Number.POSITIVE_INFINITY }],
    ['a missing member', { perSignature: 10 }],
    ['a string member', { perSignature: '10', windowMs: 1_000 }],
    ['true', true],
    ['null', null],
    ['a number', 10],
  ])('%s throws a TypeError at construction', (_label, value) => {
    const options = { exceptionRateLimit: value } as unknown as PostHogMCPOptions;
    expect(() => wire.client(options)).toThrow(TypeError);
  });
});
