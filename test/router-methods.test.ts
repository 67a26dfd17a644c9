import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const request = (id: number, method: string, params?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params ? { params } : {}),
});

describe('instrumentRouter per method', () => {
  it('captures initialize with client info, protocol version and duration, and returns the response unchanged', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { session: () => ({ connection: 'stdio' }) });
    const message = request(1, 'initialize', {
      protocolVersion: '2025-06-18',
      clientInfo: { name: 'claude-code', version: '2.1.0' },
      capabilities: {},
    });
    expect(handle(message, undefined)).toEqual(route(message));
    handle(request(2, 'tools/call', { name: 'search_docs', arguments: { query: 'flags' } }), undefined);
    await posthog.shutdown();
    const [initialize] = wire.server.eventsNamed('$mcp_initialize');
    expect(initialize?.properties).toMatchObject({
      $mcp_client_name: 'claude-code',
      $mcp_client_version: '2.1.0',
      $mcp_protocol_version: '2025-06-18',
    });
    expect(initialize?.properties.$mcp_duration_ms).toBeGreaterThanOrEqual(0);
    const [call] = wire.server.eventsNamed('$mcp_tool_call');
    expect(call?.properties.$mcp_client_name).toBe('claude-code');
    expect(call?.properties.$session_id).toBe(initialize?.properties.$session_id);
  });

  it('decorates tools/list with the injected arguments and captures the listed names', async () => {
    const posthog = wire.client({ reportMissing: true });
    const handle = posthog.instrumentRouter(route);
    const response = handle(request(1, 'tools/list'), undefined) as { result: { tools: typeof TOOLS } };
    expect(response.result.tools.map((tool) => tool.name)).toEqual([
      'search_docs',
      'divide',
      'get_more_tools',
    ]);
    expect(response.result.tools[0]?.inputSchema?.required).toEqual(['query', 'context', 'llm_model']);
    expect(TOOLS[0]?.inputSchema?.required).toEqual(['query']);
    await posthog.shutdown();
    const [list] = wire.server.eventsNamed('$mcp_tools_list');
    expect(list?.properties.$mcp_listed_tool_names).toEqual(['search_docs', 'divide', 'get_more_tools']);
    expect(list?.properties.$mcp_response).toBeUndefined();
  });

  it('decorates every page of a paginated tools/list and appends virtual tools only to the last page', async () => {
    const posthog = wire.client({ reportMissing: true });
    const pages = (message: unknown) => {
      const { id, params } = message as { id: number; params?: { cursor?: string } };
      const [tool, nextCursor] = params?.cursor === 'p2' ? [TOOLS[1], undefined] : [TOOLS[0], 'p2'];
      return { jsonrpc: '2.0', id, result: { tools: [tool], ...(nextCursor ? { nextCursor } : {}) } };
    };
    const handle = posthog.instrumentRouter(pages);
    const first = handle(request(1, 'tools/list'), undefined) as { result: { tools: { name: string }[] } };
    const second = handle(request(2, 'tools/list', { cursor: 'p2' }), undefined) as typeof first;
    expect(first.result.tools.map((tool) => tool.name)).toEqual(['search_docs']);
    expect(second.result.tools.map((tool) => tool.name)).toEqual(['divide', 'get_more_tools']);
    await posthog.shutdown();
    const lists = wire.server.eventsNamed('$mcp_tools_list');
    expect(lists.map((event) => event.properties.$mcp_listed_tool_names)).toEqual([
      ['search_docs'],
      ['divide', 'get_more_tools'],
    ]);
    expect(lists[0]?.properties.$mcp_response).toEqual({ nextCursor: 'p2' });
  });

  it('strips the injected arguments before the host sees them, without mutating the caller message', async () => {
    const posthog = wire.client();
    const seen: unknown[] = [];
    const handle = posthog.instrumentRouter(
      (message: unknown) => {
        seen.push((message as { params: { arguments: unknown } }).params.arguments);
        return route(message);
      },
      { tools: () => TOOLS },
    );
    const args = { query: 'flags', context: 'find the flag docs', llm_model: 'model-a' };
    const message = request(7, 'tools/call', { name: 'search_docs', arguments: args });
    const response = handle(message, undefined) as { result: { content: { text: string }[] } };
    expect(seen).toEqual([{ query: 'flags' }]);
    expect(message.params?.arguments).toBe(args);
    expect(args).toEqual({ query: 'flags', context: 'find the flag docs', llm_model: 'model-a' });
    expect(response.result.content.at(-1)?.text).toMatch(/^\{"conversation_id":"[0-9a-f-]{36}"\}$/);
    await posthog.shutdown();
    const [call] = wire.server.eventsNamed('$mcp_tool_call');
    expect(call?.properties).toMatchObject({
      $mcp_tool_name: 'search_docs',
      $mcp_tool_description: 'Search the documentation.',
      $mcp_tool_category: 'docs',
      $mcp_intent: 'find the flag docs',
      $mcp_llm_model: 'model-a',
      $mcp_is_error: false,
      $mcp_parameters: {
        request: { method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'flags' } } },
      },
    });
  });

  it('records an isError result as a failed call and a tool the registry lacks as unknown', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    handle(request(1, 'tools/call', { name: 'divide', arguments: { a: 1, b: 0 } }), undefined);
    const unknown = handle(request(2, 'tools/call', { name: 'nope', arguments: {} }), undefined);
    expect(unknown).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32602, message: 'Unknown tool: nope' },
    });
    await posthog.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls.map((event) => event.properties.$mcp_tool_name)).toEqual(['divide']);
    expect(calls[0]?.properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_message: 'Cannot divide by zero.',
    });
    expect(
      wire.server.eventsNamed('$mcp_unknown_tool').map((event) => event.properties.$mcp_tool_name),
    ).toEqual(['nope']);
  });

  it('answers a virtual tool itself without reaching the host', async () => {
    const posthog = wire.client({ reportMissing: true });
    let hostCalls = 0;
    const handle = posthog.instrumentRouter(
      (message: unknown) => {
        hostCalls += 1;
        return route(message);
      },
      { tools: () => TOOLS },
    );
    const response = handle(
      request(3, 'tools/call', { name: 'get_more_tools', arguments: { context: 'export to PDF' } }),
      undefined,
    ) as { id: number; result: { content: unknown[] } };
    expect(hostCalls).toBe(0);
    expect(response.id).toBe(3);
    expect(response.result.content.length).toBeGreaterThan(0);
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_missing_capability')[0]?.properties.$mcp_intent).toBe(
      'export to PDF',
    );
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(0);
  });

  it('captures resources and prompts by name, never their contents', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route);
    handle(request(1, 'resources/list'), undefined);
    const read = handle(request(2, 'resources/read', { uri: 'docs://readme' }), undefined);
    handle(request(3, 'prompts/list'), undefined);
    handle(request(4, 'prompts/get', { name: 'summarize' }), undefined);
    expect(read).toEqual(route(request(2, 'resources/read', { uri: 'docs://readme' })));
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_resources_list')[0]?.properties.$mcp_listed_resource_names).toEqual([
      'docs://readme',
    ]);
    expect(wire.server.eventsNamed('$mcp_resource_read')[0]?.properties.$mcp_resource_name).toBe(
      'docs://readme',
    );
    expect(wire.server.eventsNamed('$mcp_prompts_list')[0]?.properties.$mcp_listed_prompt_names).toEqual([
      'summarize',
    ]);
    expect(wire.server.eventsNamed('$mcp_prompt_get')[0]?.properties.$mcp_prompt_name).toBe('summarize');
    expect(JSON.stringify(wire.server.events)).not.toContain('Secret-free readme');
    expect(JSON.stringify(wire.server.events)).not.toContain('Summarize.');
  });

  it('passes ping, unknown methods and malformed messages to the host untouched, capturing nothing', async () => {
    const posthog = wire.client();
    const seen: unknown[] = [];
    const handle = posthog.instrumentRouter((message: unknown) => {
      seen.push(message);
      return { echoed: true };
    });
    const inputs = [
      request(1, 'ping'),
      request(2, 'logging/setLevel'),
      { id: 3 },
      'garbage',
      null,
      { method: 7 },
    ];
    for (const input of inputs) expect(handle(input, undefined)).toEqual({ echoed: true });
    expect(seen).toEqual(inputs);
    for (const [index, input] of seen.entries()) expect(input).toBe(inputs[index]);
    await posthog.shutdown();
    expect(wire.server.events).toHaveLength(0);
  });
});
