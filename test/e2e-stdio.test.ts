import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IngestedEvent } from './helpers/ingestion-server';
import { startIngestionServer } from './helpers/ingestion-server';
import { connectInProcessStdio, spawnStdioRouter, textsOf } from './helpers/mcp-client';
import { clientFor, useIngestionServer } from './helpers/wire';

const wire = useIngestionServer({ scope: 'all' });
const results: Record<string, unknown> = {};
let listed: { name: string; inputSchema: { properties?: Record<string, unknown>; required?: string[] } }[] =
  [];
let unknownToolError: unknown;
const clientErrors: Error[] = [];

beforeAll(async () => {
  const { client, close } = await spawnStdioRouter(wire.server);
  client.onerror = (error) => clientErrors.push(error);
  listed = (await client.listTools()).tools as typeof listed;
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
  results.search = await call('search_docs', {
    query: 'flags',
    context: 'find the flags docs',
    llm_model: 'model-a',
  });
  results.flaky = await call('flaky_lookup', { order_id: 'o-1', context: 'check an order' });
  results.crash = await call('crash', { context: 'try the failing tool' });
  results.forecast = await call('get_forecast', { city: 'Oslo', llm_model: 'model-a' });
  results.annotate = await call('annotate', { note: 'n', context: 'tool data', llm_model: 'model-a' });
  unknownToolError = await call('no_such_tool', {}).catch((error: unknown) => error);
  results.missing = await call('get_more_tools', { context: 'export the report as PDF' });
  await close();
});

const named = (name: string) => wire.server.eventsNamed(name);
const toolCall = (tool: string) =>
  named('$mcp_tool_call').find((event) => event.properties.$mcp_tool_name === tool) as IngestedEvent;

describe('the stdio router driven by the official MCP client', () => {
  it('advertises the injected arguments and the virtual tools', () => {
    expect(listed.map((tool) => tool.name)).toEqual([
      'search_docs',
      'flaky_lookup',
      'crash',
      'get_forecast',
      'annotate',
      'get_more_tools',
      'send_feedback',
    ]);
    expect(listed[0]?.inputSchema.required).toEqual(['query', 'context', 'llm_model']);
    expect(listed[4]?.inputSchema.properties?.context).toEqual({ type: 'string' });
  });

  it('returns results unchanged: a connection session mints no handle', () => {
    expect(results.search).toEqual({ content: [{ type: 'text', text: '3 pages match "flags".' }] });
    expect(results.flaky).toEqual({
      content: [{ type: 'text', text: 'Order o-1 is not available right now.' }],
      isError: true,
    });
    expect(results.crash).toEqual({
      content: [{ type: 'text', text: 'upstream answered 503' }],
      isError: true,
    });
    expect(results.forecast).toMatchObject({ structuredContent: { city: 'Oslo', celsius: 21 } });
    expect(textsOf(results.forecast)).toHaveLength(1);
    expect(textsOf(results.annotate)).toEqual(['stored: {"note":"n","context":"tool data"}']);
    expect(textsOf(results.missing)[0]).toMatch(/^Thank you/);
  });

  it('answers an unknown tool with a JSON-RPC error and records $mcp_unknown_tool only', () => {
    expect(String(unknownToolError)).toContain('Unknown tool: no_such_tool');
    expect(named('$mcp_unknown_tool').map((event) => event.properties.$mcp_tool_name)).toEqual([
      'no_such_tool',
    ]);
    expect(toolCall('no_such_tool')).toBeUndefined();
  });

  it('writes only JSON-RPC to stdout', () => {
    expect(clientErrors).toEqual([]);
  });

  it('sends one $mcp_tool_call per call, all in the connection’s session with the client from initialize', () => {
    const calls = named('$mcp_tool_call');
    expect(calls).toHaveLength(5);
    const sessions = new Set([...wire.server.events].map((event) => event.properties.$session_id));
    expect(sessions.size).toBe(1);
    for (const event of wire.server.events) {
      expect(event.properties).toMatchObject({
        $mcp_client_name: 'e2e-agent',
        $mcp_client_version: '1.2.3',
        $mcp_protocol_version: '2025-11-25',
        $mcp_server_name: 'demo-stdio-server',
        $lib: 'posthog-node-mcp',
      });
    }
    expect(named('$mcp_initialize')).toHaveLength(1);
    expect(named('$mcp_tools_list')[0]?.properties.$mcp_listed_tool_names).toHaveLength(7);
  });

  it('captures intent, model, parameters and failures from the wire', () => {
    expect(toolCall('search_docs').properties).toMatchObject({
      $mcp_intent: 'find the flags docs',
      $mcp_llm_model: 'model-a',
      $mcp_tool_category: 'docs',
      $mcp_parameters: {
        request: { method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'flags' } } },
      },
    });
    expect(toolCall('flaky_lookup').properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'Error',
    });
    expect(toolCall('crash').properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'UpstreamError',
      $mcp_error_message: 'upstream answered 503',
    });
    expect(toolCall('annotate').properties).not.toHaveProperty('$mcp_intent');
    const exceptionTypes = named('$exception').map(
      (event) => (event.properties.$exception_list as { type: string }[])[0]?.type,
    );
    expect(exceptionTypes.sort()).toEqual(['Error', 'UpstreamError']);
    expect(named('$mcp_missing_capability')[0]?.properties.$mcp_intent).toBe('export the report as PDF');
  });
});

describe('a stdio connection over 30 idle minutes (system time moved by vitest)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rotates its session on the first call after 30 idle minutes and keeps its client', async () => {
    const ingestion = await startIngestionServer();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const { client, close } = await connectInProcessStdio(clientFor(ingestion));
    const search = () => client.callTool({ name: 'search_docs', arguments: { query: 'q' } });
    await search();
    vi.setSystemTime(Date.now() + 29 * 60_000);
    await search();
    vi.setSystemTime(Date.now() + 30 * 60_000);
    const afterIdle = await search();
    vi.useRealTimers();
    await close();
    const calls = ingestion.eventsNamed('$mcp_tool_call');
    await ingestion.close();
    const [a, b, c] = calls.map((event) => event.properties.$session_id);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(String(c)).toMatch(/^ses_/);
    expect(calls.map((event) => event.properties.$mcp_client_name)).toEqual(
      Array(3).fill('in-process-agent'),
    );
    expect(textsOf(afterIdle)).toEqual(['3 pages match "q".']);
  });
});
