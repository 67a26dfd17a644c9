import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import type { InstrumentRouterOptions } from '../src/index';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const injected = { query: 'q', context: 'find refunds', llm_model: 'gpt-5', conversation_id: 'conv_1' };
/** Messages that look like MCP requests but are not JSON-RPC 2.0. */
const NOT_JSON_RPC_2: [string, Record<string, unknown>][] = [
  ['no jsonrpc member', {}],
  ['jsonrpc "1.0"', { jsonrpc: '1.0' }],
  ['jsonrpc 2 as a number', { jsonrpc: 2 }],
  ['jsonrpc "2.0 " with a space', { jsonrpc: '2.0 ' }],
  ['jsonrpc null', { jsonrpc: null }],
];
const METHODS = [
  ['tools/call', { name: 'search_docs', arguments: injected }],
  ['tools/call', { name: 'get_more_tools', arguments: { context: 'a calendar' } }],
  ['tools/list', {}],
  ['initialize', { protocolVersion: '2025-06-18', clientInfo: { name: 'c', version: '1' } }],
  ['resources/read', { uri: 'docs://readme' }],
] as const;

const cases = NOT_JSON_RPC_2.flatMap(([label, version]) =>
  METHODS.map(
    ([method, params]) => [`${method} with ${label}`, { ...version, id: 7, method, params }] as const,
  ),
);

describe('instrumentRouter passes a message that is not JSON-RPC 2.0 to the host unchanged', () => {
  it.each(cases)(
    '%s reaches the host as the same object, arguments included, and is not captured',
    async (_label, message) => {
      const posthog = wire.client({ reportMissing: true });
      const before = structuredClone(message);
      const seen: unknown[] = [];
      const options: InstrumentRouterOptions<number> = { tools: () => TOOLS, session: () => 'ses-1' };
      const handle = posthog.instrumentRouter((received: unknown) => {
        seen.push(received);
        return { answered: received };
      }, options);
      const single = handle(message, 0);
      const batch = handle([message], 0);
      expect(seen[0]).toBe(message);
      expect((seen[1] as unknown[])[0]).toBe(message);
      expect(message).toEqual(before);
      expect(single).toEqual({ answered: message });
      expect(batch).toEqual({ answered: [message] });
      await posthog.shutdown();
      expect(wire.server.events).toEqual([]);
    },
  );

  it('still instruments the same messages with "jsonrpc": "2.0" (the control)', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    const seen: unknown[] = [];
    const host = posthog.instrumentRouter(
      (message: unknown) => {
        seen.push(message);
        return route(message);
      },
      { tools: () => TOOLS },
    );
    host(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: injected } },
      0,
    );
    handle({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, 0);
    expect((seen[0] as { params: { arguments: unknown } }).params.arguments).toEqual({ query: 'q' });
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.$mcp_intent).toBe('find refunds');
    expect(wire.server.eventsNamed('$mcp_tools_list')).toHaveLength(1);
  });
});
