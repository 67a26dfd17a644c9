import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();
const call = (id: number | string, name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});
const request = (id: number, method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
const SINGLE = { jsonrpc: '2.0', id: 1, result: {} };
const REFUSAL = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Batching is not supported' } };

/** A host that records what it was handed and answers with `answer` (the example router by default). */
function recordingHost(answer: (message: unknown) => unknown = route) {
  const seen: unknown[] = [];
  const host = (message: unknown) => {
    seen.push(message);
    return answer(message);
  };
  return { host, seen };
}

type Entry = { id: unknown; result?: { content?: { text?: string }[]; tools?: { name: string }[] } };

describe('instrumentRouter hands a batch to the host as a batch', () => {
  it('passes one array with the injected arguments stripped and completes each call from its answer by id', async () => {
    const posthog = wire.client();
    const { host, seen } = recordingHost();
    const handle = posthog.instrumentRouter(host, { tools: () => TOOLS });
    const batch = [
      request(1, 'tools/list'),
      call(2, 'search_docs', { query: 'a', context: 'look up a', llm_model: 'gpt-5' }),
      initialized,
      call('three', 'divide', { a: 6, b: 3, context: 'halve six' }),
    ];
    const answer = handle(batch, 0) as Entry[];
    expect(seen).toHaveLength(1);
    const forwarded = seen[0] as ReturnType<typeof call>[];
    expect(forwarded).toHaveLength(4);
    expect(forwarded[1]?.params.arguments).toEqual({ query: 'a' });
    expect(forwarded[3]?.params.arguments).toEqual({ a: 6, b: 3 });
    expect(forwarded[2]).toBe(initialized);
    expect(answer.map((entry) => entry.id)).toEqual([1, 2, 'three']);
    expect(answer[0]?.result?.tools?.[0]?.name).toBe('search_docs');
    expect(JSON.stringify(answer[0])).toContain('"context"');
    await posthog.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
    expect(calls.map((p) => [p.$mcp_tool_name, p.$mcp_intent]).sort()).toEqual([
      ['divide', 'halve six'],
      ['search_docs', 'look up a'],
    ]);
    expect(wire.server.eventsNamed('$mcp_tools_list')).toHaveLength(1);
  });

  it('matches answers the host gives in another order, passes entries it cannot match, and drops unanswered calls', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(
      (message: unknown) => {
        const answers = route(message as unknown[]) ?? [];
        return [answers[1], { jsonrpc: '2.0', id: 99, result: {} }];
      },
      { tools: () => TOOLS },
    );
    const batch = [call(1, 'divide', { a: 1, b: 1 }), call(2, 'divide', { a: 4, b: 2, context: 'second' })];
    const answer = (await handle(batch, 0)) as Entry[];
    expect(answer.map((entry) => entry.id)).toEqual([2, 99]);
    await posthog.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls.map((event) => event.properties.$mcp_intent)).toEqual(['second']);
  });

  it.each([
    ['a refusal, sync', (_: unknown) => REFUSAL],
    ['a refusal, async', async (_: unknown) => REFUSAL],
    ['an object that is not an array', (_: unknown) => SINGLE],
    ['nothing', (_: unknown) => undefined],
    ['a string', (_: unknown) => 'no'],
  ])(
    'returns %s from a host that does not answer a batch with an array unchanged, and captures nothing',
    async (_label, answer) => {
      const posthog = wire.client({ reportMissing: true });
      const { host, seen } = recordingHost(answer);
      const handle = posthog.instrumentRouter(host, { tools: () => TOOLS, session: () => 'ses-batch' });
      const batch = [
        request(1, 'initialize', { protocolVersion: '2025-03-26', clientInfo: { name: 'c', version: '1' } }),
        request(2, 'tools/list'),
        call(3, 'search_docs', { query: 'q', context: 'why' }),
        call(4, 'get_more_tools', { context: 'a calendar tool' }),
        call(5, 'nope'),
      ];
      const expected = answer(undefined);
      const got = await handle(batch, 0);
      expect(got).toBe(expected instanceof Promise ? await expected : expected);
      expect(Array.isArray(seen[0])).toBe(true);
      await posthog.shutdown();
      expect(
        wire.server.events.filter((event) => event.event !== '$mcp_unknown_tool').map((e) => e.event),
      ).toEqual([]);
    },
  );

  it('answers virtual tools itself, merges their answers and never shows them to the host', async () => {
    const posthog = wire.client({ reportMissing: true, collectFeedback: true });
    const { host, seen } = recordingHost();
    const handle = posthog.instrumentRouter(host, { tools: () => TOOLS });
    const batch = [
      call(1, 'divide', { a: 1, b: 1 }),
      call(2, 'get_more_tools', { context: 'a calendar tool' }),
      call(3, 'send_feedback', { feedback_type: 'bug', summary: 'slow search' }),
    ];
    const answer = handle(batch, 0) as Entry[];
    expect((seen[0] as { id: number }[]).map((message) => message.id)).toEqual([1]);
    expect(answer.map((entry) => entry.id)).toEqual([1, 2, 3]);
    expect(answer[1]?.result?.content?.[0]?.text).toMatch(/./);
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_missing_capability')[0]?.properties.$mcp_intent).toBe(
      'a calendar tool',
    );
    expect(wire.server.eventsNamed('$mcp_feedback')).toHaveLength(1);
    expect(wire.server.eventsNamed('$mcp_unknown_tool')).toHaveLength(0);
  });

  it('answers a batch of virtual calls and notifications: the host sees only the notifications', async () => {
    const posthog = wire.client({ reportMissing: true });
    const { host, seen } = recordingHost();
    const handle = posthog.instrumentRouter(host);
    const onlyVirtual = handle([call(1, 'get_more_tools', { context: 'x' })], 0) as Entry[];
    expect(seen).toEqual([]);
    const withNotification = handle([call(2, 'get_more_tools', { context: 'y' }), initialized], 0) as Entry[];
    expect(seen).toEqual([[initialized]]);
    expect([...onlyVirtual, ...withNotification].map((entry) => entry.id)).toEqual([1, 2]);
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_missing_capability')).toHaveLength(2);
  });

  it('hands over the very same array when nothing in it needs stripping, and an empty batch untouched', async () => {
    const posthog = wire.client();
    const { host, seen } = recordingHost();
    const handle = posthog.instrumentRouter(host, { tools: () => TOOLS });
    const plain = [request(1, 'ping'), call(2, 'divide', { a: 1, b: 1 }), { id: 3, method: 'x' }];
    const empty: unknown[] = [];
    handle(plain, 0);
    handle(empty, 0);
    expect(seen[0]).toBe(plain);
    expect(seen[1]).toBe(empty);
    await posthog.shutdown();
  });

  it('rethrows a host error for a batch unchanged and records its calls as failed', async () => {
    const posthog = wire.client({ reportMissing: true });
    const boom = new RangeError('batch exploded');
    const handle = posthog.instrumentRouter(
      (_: unknown) => {
        throw boom;
      },
      { tools: () => TOOLS },
    );
    expect(() => handle([call(1, 'divide'), call(2, 'get_more_tools', { context: 'z' })], 0)).toThrow(boom);
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.$mcp_error_type).toBe('RangeError');
    expect(wire.server.eventsNamed('$mcp_missing_capability')).toHaveLength(0);
  });
});
