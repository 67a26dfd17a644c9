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
const notification = (method: string, params?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  method,
  ...(params ? { params } : {}),
});

/** A host whose tools/call answers only when the test releases it. */
function deferredHost() {
  const waiting = new Map<unknown, (response: unknown) => void>();
  const host = (message: unknown) => {
    const m = message as { id?: unknown; method: string };
    if (m.method !== 'tools/call') return route(message);
    return new Promise((resolve) => waiting.set(m.id, resolve));
  };
  const release = (id: unknown) =>
    waiting.get(id)?.(route(call(id as number, 'search_docs', { query: 'q' })));
  return { host, release };
}

describe('instrumentRouter on JSON-RPC edge cases', () => {
  it('answers a batch in order, with no entry for notifications, and captures each call', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    const batch = [
      call(1, 'search_docs', { query: 'a', context: 'look up a' }),
      notification('notifications/initialized'),
      call(2, 'no_such_tool'),
      { jsonrpc: '2.0', id: 3, method: 'ping' },
      call(4, 'divide', { a: 6, b: 3 }),
    ];
    const responses = handle(batch, undefined) as unknown as {
      id: number;
      result?: unknown;
      error?: unknown;
    }[];
    expect(responses.map((response) => response.id)).toEqual([1, 2, 3, 4]);
    expect(responses[1]?.error).toEqual({ code: -32602, message: 'Unknown tool: no_such_tool' });
    expect((responses[3]?.result as { content: unknown[] } | undefined)?.content[0]).toEqual({
      type: 'text',
      text: '2',
    });
    await posthog.shutdown();
    const names = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties.$mcp_tool_name);
    expect(names.sort()).toEqual(['divide', 'search_docs']);
    expect(wire.server.eventsNamed('$mcp_unknown_tool')).toHaveLength(1);
  });

  it('returns nothing for a batch of notifications only, and gives an async batch the same order', async () => {
    const posthog = wire.client();
    const sync = posthog.instrumentRouter(route);
    expect(sync([notification('notifications/initialized'), notification('notifications/progress')], 0)).toBe(
      undefined,
    );
    const slowFirst = posthog.instrumentRouter(async (message: unknown) => {
      const { id } = message as { id: number };
      for (let turn = 0; turn < (id === 1 ? 3 : 0); turn++) await new Promise(setImmediate);
      return route(message);
    });
    const responses = (await slowFirst(
      [call(1, 'divide', { a: 1, b: 1 }), call(2, 'divide', { a: 2, b: 1 })],
      0,
    )) as unknown as {
      id: number;
    }[];
    expect(responses.map((response) => response.id)).toEqual([1, 2]);
    await posthog.shutdown();
  });

  it('turns a cancelled in-flight call into one failed call of type cancelled', async () => {
    const posthog = wire.client();
    const { host, release } = deferredHost();
    const connection = {};
    const handle = posthog.instrumentRouter(host, { tools: () => TOOLS, session: () => ({ connection }) });
    const pending = handle(call('req-1', 'search_docs', { query: 'q' }), undefined);
    expect(
      handle(notification('notifications/cancelled', { requestId: 'req-1', reason: 'user hit stop' }), 0),
    ).toBe(undefined);
    release('req-1');
    expect(await pending).toEqual(route(call('req-1', 'search_docs', { query: 'q' })));
    await posthog.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'cancelled',
      $mcp_error_message: 'user hit stop',
    });
  });

  it('does not cancel a call on another connection with the same request id', async () => {
    const posthog = wire.client();
    const { host, release } = deferredHost();
    const handle = posthog.instrumentRouter(host, { session: (key: string) => ({ connection: key }) });
    const pending = handle(call(1, 'search_docs', { query: 'q' }), 'a');
    handle(notification('notifications/cancelled', { requestId: 1 }), 'b');
    release(1);
    await pending;
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.$mcp_is_error).toBe(false);
  });

  it('records error responses as failed calls, and -32601 or an unknown-tool -32602 as an unknown tool', async () => {
    const posthog = wire.client();
    const answers: Record<string, unknown> = {
      invalid: { code: -32602, message: 'Invalid arguments: b must be a number' },
      internal: { code: -32603, message: 'database unavailable' },
      missing: { code: -32601, message: 'Method not found' },
      gone: { code: -32602, message: 'Tool gone not found' },
    };
    const handle = posthog.instrumentRouter((message: unknown) => {
      const { id, params } = message as { id: number; params: { name: string } };
      return { jsonrpc: '2.0', id, error: answers[params.name] };
    });
    for (const [index, name] of Object.keys(answers).entries()) {
      expect(handle(call(index, name), 0)).toEqual({ jsonrpc: '2.0', id: index, error: answers[name] });
    }
    await posthog.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls.map((event) => [event.properties.$mcp_tool_name, event.properties.$mcp_error_type])).toEqual(
      [
        ['invalid', 'validation'],
        ['internal', 'internal'],
      ],
    );
    expect(calls[1]?.properties.$mcp_error_message).toBe('database unavailable');
    const unknown = wire.server
      .eventsNamed('$mcp_unknown_tool')
      .map((event) => event.properties.$mcp_tool_name);
    expect(unknown).toEqual(['missing', 'gone']);
  });

  it('rethrows the host error unchanged, sync or async, after recording the failed call', async () => {
    const posthog = wire.client();
    const boom = new RangeError('boom');
    const syncHandle = posthog.instrumentRouter(() => {
      throw boom;
    });
    expect(() => syncHandle(call(1, 'search_docs'), 0)).toThrow(boom);
    const asyncHandle = posthog.instrumentRouter(async () => {
      throw boom;
    });
    await expect(asyncHandle(call(2, 'search_docs'), 0)).rejects.toBe(boom);
    expect(() => syncHandle({ jsonrpc: '2.0', id: 3, method: 'ping' }, 0)).toThrow(boom);
    await posthog.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls.map((event) => event.properties.$mcp_error_type)).toEqual(['RangeError', 'RangeError']);
    expect(wire.server.eventsNamed('$exception')).toHaveLength(2);
  });

  it('resolves an async identity per router call and returns a promise only then', async () => {
    const posthog = wire.client();
    let lookups = 0;
    const handle = posthog.instrumentRouter(route, {
      identify: async (user: string) => {
        lookups += 1;
        return { distinctId: user, properties: { plan: 'pro' } };
      },
    });
    const response = handle([call(1, 'divide', { a: 1, b: 1 }), call(2, 'divide', { a: 2, b: 1 })], 'user-1');
    expect(response).toBeInstanceOf(Promise);
    await response;
    await handle(call(3, 'divide', { a: 3, b: 1 }), 'user-2');
    expect(lookups).toBe(2);
    await posthog.shutdown();
    const people = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.distinct_id);
    expect(people.sort()).toEqual(['user-1', 'user-1', 'user-2']);
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.$set).toEqual({ plan: 'pro' });
  });

  it('treats a throwing identify as anonymous and still answers', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, {
      identify: () => {
        throw new Error('no auth service');
      },
    });
    expect(handle(call(1, 'divide', { a: 1, b: 1 }), 0)).toMatchObject({ id: 1, result: {} });
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.$process_person_profile).toBe(false);
  });
});
