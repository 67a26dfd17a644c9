import { describe, expect, it } from 'vitest';
import type { PostHogMCP, ToolCallOutcome, ToolDescriptor } from '../src/index.js';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

/** The same traffic through the three steps and through `captureToolCall` must send the same events. */

const wire = useIngestionServer();

const tool: ToolDescriptor = {
  name: 'search_docs',
  description: 'Search the documentation.',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  _meta: { category: 'search' },
};
const meta = {
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  tracestate: 'vendor=opaque',
  'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.0.1' },
  'io.modelcontextprotocol/protocolVersion': '2025-11-25',
  'io.modelcontextprotocol/aiInvocation': { userIntent: 'find the refund policy', model: 'claude-opus-4' },
};
const headers = { 'user-agent': 'claude-code/2.0.1 (cli)', 'x-anthropic-client': 'claude-code' };
const identity = { distinctId: 'user-7', properties: { plan: 'team' }, groups: { company: 'acme' } };
const args = { query: 'refund policy' };
const startedAt = new Date('2026-03-04T05:06:07.000Z');
const endedAt = new Date(startedAt.getTime() + 120);

class UpstreamError extends Error {
  override name = 'UpstreamError';
}

/** What differs by nature between two captures of one call: the second is a repeat of the first. */
function comparable(event: IngestedEvent): Record<string, unknown> {
  const { $lib_version: _v, $mcp_repeat_count: _r, ...properties } = event.properties;
  return { event: event.event, distinct_id: event.distinct_id, timestamp: event.timestamp, properties };
}

/** One client (a connection's session lives in the client), the steps first, then the finished call. */
async function bothPaths(
  send: (client: PostHogMCP, path: 'steps' | 'finished') => void,
): Promise<[IngestedEvent[], IngestedEvent[]]> {
  const client = wire.client({ serverName: 'docs', serverVersion: '1.2.3', serverBuild: 'sha-abc' });
  send(client, 'steps');
  await client.flush();
  const steps = wire.server.events.splice(0);
  send(client, 'finished');
  await client.shutdown();
  return [steps, wire.server.events.splice(0)];
}

const cases = [
  { label: 'a success', outcome: { result: { content: [{ type: 'text', text: '3 pages match.' }] } } },
  {
    label: 'a thrown error',
    outcome: { error: new UpstreamError('upstream answered 503'), errorStatus: 503 },
  },
  {
    label: 'an isError result',
    outcome: { result: { isError: true, content: [{ type: 'text', text: 'Order A-1 not found' }] } },
  },
  { label: 'an explicit error type', outcome: { error: new Error('too slow'), errorType: 'timeout' } },
  { label: 'an empty result', outcome: { result: { content: [{ type: 'text', text: ' [] ' }] } } },
  {
    label: 'a JSON-RPC error answer',
    outcome: { jsonRpcError: { code: -32602, message: 'query must not be blank' } },
  },
] as const;

describe.each([
  ['a string transport session', 'mcp-session-123'],
  ['a one-client connection', { connection: 'stdio-1' }],
] as const)('the steps and captureToolCall agree, with %s', (_label, session) => {
  it.each(cases)('on $label: the same tool call and exception events', async ({ outcome }) => {
    const [steps, finished] = await bothPaths((client, path) => {
      if (path === 'steps') {
        const call = client.prepareToolCall(
          'search_docs',
          { ...args, context: 'ignored' },
          {
            tool,
            meta,
            headers,
            session,
            identity,
            startedAt,
          },
        );
        client.completeToolCall(call, { ...(outcome as ToolCallOutcome), endedAt });
        return;
      }
      const { result, error, ...rest } = outcome as { result?: unknown; error?: unknown };
      client.captureToolCall({
        toolName: 'search_docs',
        tool,
        arguments: args,
        meta,
        headers,
        session,
        identity,
        timestamp: startedAt,
        durationMs: 120,
        ...(result === undefined ? {} : { response: result }),
        ...(error === undefined ? {} : { error }),
        ...rest,
      });
    });
    expect(finished.map((e) => e.event)).toEqual(steps.map((e) => e.event));
    expect(steps.length).toBeGreaterThan(0);
    for (const [index, event] of steps.entries()) {
      expect(comparable(finished[index] as IngestedEvent)).toEqual(comparable(event));
    }
    const call = steps[0]?.properties ?? {};
    expect(call).toMatchObject({
      $trace_id: '0af7651916cd43dd8448eb211c80319c',
      $span_id: 'b7ad6b7169203331',
      $mcp_trace_state: 'vendor=opaque',
      $mcp_client_name: 'claude-code',
      $mcp_client_user_agent: 'claude-code/2.0.1 (cli)',
      $mcp_intent: 'find the refund policy',
      $mcp_intent_source: 'client_metadata',
      $mcp_llm_model: 'claude-opus-4',
      $mcp_tool_category: 'search',
    });
    expect(typeof call.$mcp_tool_schema_hash).toBe('string');
    expect([call.$mcp_repeat_count, finished[0]?.properties.$mcp_repeat_count]).toEqual([0, 1]);
    expect(typeof call.$mcp_input_tokens_est).toBe('number');
    expect(call.$mcp_args_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof (call.$mcp_is_error ? call.$mcp_error_origin : call.$mcp_empty_result)).not.toBe(
      'undefined',
    );
  });
});

describe('the router middleware and captureToolsList agree on a listing', () => {
  it('given the decorated page, the catalog cost and listed tools are the same', async () => {
    const client = wire.client({ reportMissing: true });
    const handle = client.instrumentRouter(
      (message: unknown) => ({
        jsonrpc: '2.0',
        id: (message as { id: number }).id,
        result: { tools: [tool] },
      }),
      { tools: () => [tool] },
    );
    const { result } = handle({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, undefined) as {
      result: { tools: unknown[] };
    };
    client.captureToolsList({ tools: client.prepareToolList([tool]), response: { tools: [tool] } });
    await client.shutdown();
    const [routed, stated] = wire.server.eventsNamed('$mcp_tools_list').map((event) => event.properties);
    expect(result.tools).toHaveLength(2);
    for (const key of ['$mcp_catalog_tokens_est', '$mcp_listed_tools', '$mcp_listed_tool_names']) {
      expect(stated?.[key]).toEqual(routed?.[key]);
    }
    expect(typeof routed?.$mcp_catalog_tokens_est).toBe('number');
  });
});
