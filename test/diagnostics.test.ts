import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { DIAGNOSTICS_WINDOW } from '../src/diagnostics';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();
const call = (id: number, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'divide', arguments: args },
});

describe('mcpDiagnostics', () => {
  it('reports nothing before any MCP event', async () => {
    const posthog = wire.client();
    expect(posthog.mcpDiagnostics()).toEqual({ eventsInspected: 0, events: {}, findings: [] });
    await posthog.shutdown();
  });

  it('counts what a bare stateless integration leaves out, with a hint for each gap', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    handle(call(1, { a: 1, b: 1 }), 0);
    handle(call(2, { a: 2, b: 1 }), 0);
    handle({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, 0);
    await posthog.flush();
    const report = posthog.mcpDiagnostics();
    expect(report.eventsInspected).toBe(3);
    expect(report.events).toEqual({ $mcp_tool_call: 2, $mcp_tools_list: 1 });
    const byField = Object.fromEntries(report.findings.map((finding) => [finding.field, finding]));
    expect(Object.keys(byField).sort()).toEqual(
      ['clientName', 'identity', 'intent', 'model', 'protocolVersion', 'sessionSource', 'userAgent'].sort(),
    );
    expect(byField.clientName).toMatchObject({ property: '$mcp_client_name', missing: 3, of: 3 });
    expect(byField.intent).toMatchObject({ property: '$mcp_intent', missing: 2, of: 2 });
    for (const finding of report.findings) expect(finding.hint.length).toBeGreaterThan(10);
    await posthog.shutdown();
  });

  it('stops reporting a gap once the integration fills it', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, {
      tools: () => TOOLS,
      headers: () => ({ 'user-agent': 'agent/1.0', 'mcp-protocol-version': '2025-06-18' }),
      session: () => ({ connection: 'stdio' }),
      identify: () => ({ distinctId: 'user-7' }),
    });
    await handle(
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', clientInfo: { name: 'agent', version: '1.0' } },
      },
      0,
    );
    await handle(call(1, { a: 1, b: 1, context: 'check a ratio', llm_model: 'model-a' }), 0);
    await posthog.flush();
    expect(posthog.mcpDiagnostics()).toMatchObject({ eventsInspected: 2, findings: [] });
    await posthog.shutdown();
  });

  it('treats a conversation handle or a transport session as a session source', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, {
      tools: () => TOOLS,
      session: (id: string) => id || undefined,
    });
    const first = handle(call(1, { a: 1, b: 1 }), '') as { result: { content: { text: string }[] } };
    const echoed = JSON.parse(first.result.content.at(-1)?.text ?? '{}') as { conversation_id: string };
    handle(call(2, { a: 1, b: 1, conversation_id: echoed.conversation_id }), '');
    handle(call(3, { a: 1, b: 1 }), 'mcp-session-1');
    await posthog.flush();
    const fields = posthog.mcpDiagnostics().findings.map((finding) => finding.field);
    expect(fields).not.toContain('sessionSource');
    await posthog.shutdown();
  });

  it('looks only at the latest events, within a bounded window', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    for (let id = 0; id < DIAGNOSTICS_WINDOW + 50; id++) handle(call(id, { a: id, b: 1 }), 0);
    await posthog.flush();
    const report = posthog.mcpDiagnostics();
    expect(report.eventsInspected).toBe(DIAGNOSTICS_WINDOW);
    expect(report.events).toEqual({ $mcp_tool_call: DIAGNOSTICS_WINDOW });
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(DIAGNOSTICS_WINDOW + 50);
  });
});
