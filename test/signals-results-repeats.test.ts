import { describe, expect, it } from 'vitest';
import type { PostHogMCPOptions, ToolDescriptor } from '../src/index';
import { MAX_REPEAT_SESSIONS } from '../src/session/repeat-tracker';
import { CALL_PATHS, type CallPath, callsThrough, type PathCall } from './helpers/signal-paths';
import { useIngestionServer } from './helpers/wire';

/** `$mcp_empty_result`, `$mcp_repeat_count` and `$mcp_args_hash` on the wire, through every path. */

const wire = useIngestionServer();

const tools: ToolDescriptor[] = [
  {
    name: 'search',
    inputSchema: {
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'number' }, filters: { type: 'object' } },
    },
  },
  { name: 'fetch', inputSchema: { type: 'object', properties: { url: { type: 'string' } } } },
];

const MB = 1_048_576;
const text = (value: string) => ({ type: 'text', text: value });

async function toolCalls(
  path: CallPath,
  calls: PathCall[],
  options: Partial<PostHogMCPOptions> = {},
): Promise<Record<string, unknown>[]> {
  const client = wire.client(options);
  const send = callsThrough(client, path, tools);
  for (const call of calls) send(call);
  await client.shutdown();
  return wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
}

const EMPTY: [string, unknown][] = [
  ['no content blocks', { content: [] }],
  ['blank text', { content: [text(' \n\t ')] }],
  ['texts of [], {} and null', { content: [text('[]'), text(' {} '), text('null')] }],
  ['empty structuredContent', { content: [text('')], structuredContent: {} }],
];

const NOT_EMPTY: [string, unknown][] = [
  ['some text', { content: [text('0 results')] }],
  ['an image', { content: [{ type: 'image', data: 'aGk=', mimeType: 'image/png' }] }],
  ['structuredContent with members', { content: [], structuredContent: { items: [] } }],
  ['1 MB of blank text', { content: [text(' '.repeat(MB))] }],
  ['1 MB of text', { content: [text('row\n'.repeat(MB / 4))] }],
  ['100,000 empty text blocks', { content: Array.from({ length: 100_000 }, () => text('')) }],
  ['1 MB structuredContent', { content: [], structuredContent: { blob: 'x'.repeat(MB) } }],
];

describe.each(CALL_PATHS)('$mcp_empty_result through the %s path', (path) => {
  it('is true for every empty result and false for every other, 1 MB results included', async () => {
    const results = [...EMPTY, ...NOT_EMPTY].map(([, result]) => result);
    const events = await toolCalls(
      path,
      results.map((result, i) => ({ name: 'search', args: { query: `q${i}` }, result })),
    );
    expect(events.map((p) => p.$mcp_empty_result)).toEqual([
      ...EMPTY.map(() => true),
      ...NOT_EMPTY.map(() => false),
    ]);
    for (const properties of events) expect(JSON.stringify(properties).length).toBeLessThan(110_000);
  });

  it('is absent from failed calls', async () => {
    const events = await toolCalls(path, [
      { name: 'search', args: {}, error: new Error('down') },
      { name: 'search', args: {}, result: { isError: true, content: [] } },
    ]);
    expect(events.map((p) => [p.$mcp_is_error, p.$mcp_empty_result])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
  });
});

it('is absent when a finished call states no result: unknown is not empty', async () => {
  const client = wire.client();
  client.captureToolCall({ toolName: 'search', arguments: { query: 'a' } });
  await client.shutdown();
  const [call] = wire.server.eventsNamed('$mcp_tool_call');
  expect(call?.properties.$mcp_empty_result).toBeUndefined();
});

describe.each(CALL_PATHS)('$mcp_repeat_count through the %s path', (path) => {
  it('counts identical calls in a row, whatever the key order and the injected context', async () => {
    const same = (i: number, order: 'ab' | 'ba'): PathCall => ({
      name: 'search',
      args:
        order === 'ab'
          ? { query: 'refund', limit: 5, filters: { a: 1, b: 2 }, context: `attempt ${i}` }
          : { filters: { b: 2, a: 1 }, context: `try again ${i}`, limit: 5, query: 'refund' },
      result: { content: [text('none')] },
    });
    const events = await toolCalls(path, [
      same(0, 'ab'),
      same(1, 'ba'),
      same(2, 'ab'),
      { name: 'search', args: { query: 'refunds', limit: 5 } },
      same(3, 'ba'),
      same(4, 'ab'),
      { name: 'fetch', args: { query: 'refund', limit: 5, filters: { a: 1, b: 2 } } },
      same(5, 'ab'),
      same(6, 'ab'),
    ]);
    expect(events.map((p) => p.$mcp_repeat_count)).toEqual([0, 1, 2, 0, 0, 1, 0, 0, 1]);
  });

  it('keeps sessions apart: an interleaved session does not break a loop', async () => {
    const call = (session: string): PathCall => ({ name: 'search', args: { query: 'x' }, session });
    const events = await toolCalls(path, [call('a'), call('b'), call('a'), call('b'), call('a')]);
    const [a, b] = [events[0]?.$session_id, events[1]?.$session_id];
    expect(a).not.toBe(b);
    expect(events.map((p) => [p.$session_id, p.$mcp_repeat_count])).toEqual([
      [a, 0],
      [b, 0],
      [a, 1],
      [b, 1],
      [a, 2],
    ]);
  });

  it('counts failed calls too: a retry loop on an error is a loop', async () => {
    const failing: PathCall = { name: 'fetch', args: { url: 'https://x.test' }, error: new Error('503') };
    const events = await toolCalls(path, [failing, failing, failing]);
    expect(events.map((p) => p.$mcp_repeat_count)).toEqual([0, 1, 2]);
  });
});

it(`remembers the last call of at most ${MAX_REPEAT_SESSIONS} sessions, the least recently active forgotten`, async () => {
  const client = wire.client({ captureParameters: false });
  const call = (session: string) =>
    client.captureToolCall({ toolName: 'search', arguments: { query: 'loop' }, session });
  call('first');
  call('first');
  for (let i = 0; i < MAX_REPEAT_SESSIONS; i++) {
    call(`session-${i}`);
    if (i % 2_000 === 1_999) await client.flush();
  }
  call(`session-${MAX_REPEAT_SESSIONS - 1}`);
  call('first');
  await client.shutdown();
  const events = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
  expect(events).toHaveLength(MAX_REPEAT_SESSIONS + 4);
  expect(events.slice(0, 2).map((p) => p.$mcp_repeat_count)).toEqual([0, 1]);
  const last = events.length - 1;
  expect(events[last - 1]?.$session_id).toBe(events[last - 2]?.$session_id);
  expect(events[last]?.$session_id).toBe(events[0]?.$session_id);
  expect(events.slice(-2).map((p) => p.$mcp_repeat_count)).toEqual([1, 0]);
});

describe.each(CALL_PATHS)('$mcp_args_hash through the %s path', (path) => {
  const calls: PathCall[] = [
    { name: 'search', args: { query: 'refund', limit: 5, context: 'first' } },
    { name: 'search', args: { limit: 5, query: 'refund', context: 'second' } },
    { name: 'search', args: { query: 'refund', limit: 6 } },
  ];

  it('is sent with captureParameters: true, equal across key orders and injected arguments', async () => {
    const events = await toolCalls(path, calls, { captureParameters: true });
    const hashes = events.map((p) => p.$mcp_args_hash);
    expect(hashes[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashes[2]).not.toBe(hashes[0]);
  });

  it.each(['keys', false] as const)(
    'is never sent with captureParameters: %s, and repeats still count',
    async (mode) => {
      const events = await toolCalls(path, calls, { captureParameters: mode });
      expect(events.map((p) => p.$mcp_args_hash)).toEqual([undefined, undefined, undefined]);
      expect(events.map((p) => p.$mcp_repeat_count)).toEqual([0, 1, 0]);
    },
  );
});
