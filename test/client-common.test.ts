import { describe, expect, it } from 'vitest';
import type { CaptureCommon } from '../src/capture-data.js';
import type { PostHogMCP } from '../src/index.js';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();

/** Calls every finished-call method once with the same common fields; a failed tool call adds `$exception`. */
function captureEveryMethod(client: PostHogMCP, common: CaptureCommon): void {
  client.captureToolCall({ ...common, toolName: 'search', error: new Error('failed') });
  client.captureInitialize({ ...common });
  client.captureToolsList({ ...common, toolNames: ['search'] });
  client.captureMissingCapability({ ...common, context: 'export' });
  client.captureFeedback({ ...common, report: { feedbackType: 'other', summary: 's', extras: {}, raw: {} } });
  client.captureUnknownTool({ ...common, toolName: 'nope' });
  client.captureInputRequired({ ...common, toolName: 'book' });
  client.captureResourceRead({ ...common, uri: 'file:///a' });
  client.captureResourcesList({ ...common, names: ['file:///a'] });
  client.capturePromptGet({ ...common, name: 'p' });
  client.capturePromptsList({ ...common, names: ['p'] });
}

const EVERY_EVENT = [
  '$exception',
  '$mcp_feedback',
  '$mcp_initialize',
  '$mcp_input_required',
  '$mcp_missing_capability',
  '$mcp_prompt_get',
  '$mcp_prompts_list',
  '$mcp_resource_read',
  '$mcp_resources_list',
  '$mcp_tool_call',
  '$mcp_tools_list',
  '$mcp_unknown_tool',
];

function eventNames(events: IngestedEvent[]): string[] {
  return events.map((event) => event.event).sort();
}

describe('common properties on every event', () => {
  it('an anonymous event has the interface, its own session as distinct_id and no person profile', async () => {
    const client = wire.client();
    captureEveryMethod(client, {});
    await client.shutdown();

    expect(eventNames(wire.server.events)).toEqual(EVERY_EVENT);
    for (const { properties, distinct_id } of wire.server.events) {
      expect(properties.$mcp_interface).toBe('mcp');
      expect(properties.$session_id).toMatch(/^ses_[0-9a-f-]{36}$/);
      expect(distinct_id).toBe(properties.$session_id);
      expect(properties.$process_person_profile).toBe(false);
      expect(properties).not.toHaveProperty('$set');
      expect(properties).not.toHaveProperty('$groups');
    }
  });

  it('an identified event uses the identity with $set and $groups and processes the person', async () => {
    const client = wire.client();
    captureEveryMethod(client, {
      distinctId: 'user-1',
      setProperties: { email: 'ada@example.com', plan: 'pro' },
      groups: { company: 'acme' },
    });
    await client.shutdown();

    expect(eventNames(wire.server.events)).toEqual(EVERY_EVENT);
    for (const { properties, distinct_id } of wire.server.events) {
      expect(distinct_id).toBe('user-1');
      expect(properties.$session_id).toMatch(/^ses_/);
      expect(properties.$set).toEqual({ email: 'ada@example.com', plan: 'pro' });
      expect(properties.$groups).toEqual({ company: 'acme' });
      expect(properties).not.toHaveProperty('$process_person_profile');
    }
  });

  it('an identity object wins over the separate identity fields', async () => {
    const client = wire.client();
    client.captureToolCall({
      toolName: 'search',
      distinctId: 'loser',
      identity: { distinctId: 'winner', properties: { role: 'admin' }, groups: { team: 42 } },
    });
    await client.shutdown();

    const [event] = wire.server.events;
    expect(event?.distinct_id).toBe('winner');
    expect(event?.properties.$set).toEqual({ role: 'admin' });
    expect(event?.properties.$groups).toEqual({ team: 42 });
  });

  it('server identity comes from the options and per-event overrides win', async () => {
    const client = wire.client({ serverName: 'docs', serverVersion: '1.0.0', serverBuild: 'sha-abc' });
    client.captureToolCall({ toolName: 'a' });
    client.captureToolCall({ toolName: 'b', serverName: 'docs-eu', serverVersion: '2.0.0' });
    await client.shutdown();

    const byTool = (name: string) => wire.server.events.find((e) => e.properties.$mcp_tool_name === name)!;
    expect(byTool('a').properties).toMatchObject({
      $mcp_server_name: 'docs',
      $mcp_server_version: '1.0.0',
      $mcp_server_build: 'sha-abc',
    });
    expect(byTool('b').properties).toMatchObject({
      $mcp_server_name: 'docs-eu',
      $mcp_server_version: '2.0.0',
      $mcp_server_build: 'sha-abc',
    });
  });

  it.each([
    [
      'a plain header object',
      {
        'user-agent': 'claude-code/2.0 (cli)',
        'X-Anthropic-Client': 'cc',
        'mcp-protocol-version': '2025-06-18',
      },
    ],
    [
      'WHATWG Headers',
      new Headers({
        'User-Agent': 'claude-code/2.0 (cli)',
        'x-anthropic-client': 'cc',
        'MCP-Protocol-Version': '2025-06-18',
      }),
    ],
  ])('client user agent, vendor and protocol version are read from %s', async (_label, headers) => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', headers });
    await client.shutdown();

    expect(wire.server.events[0]?.properties).toMatchObject({
      $mcp_client_user_agent: 'claude-code/2.0 (cli)',
      $mcp_vendor_client: 'cc',
      $mcp_protocol_version: '2025-06-18',
    });
  });

  it('client identity is read from the request _meta', async () => {
    const client = wire.client();
    const meta = {
      'io.modelcontextprotocol/clientInfo': { name: 'vscode', version: '1.99.0' },
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    };
    client.captureToolCall({ toolName: 'search', meta });
    await client.shutdown();

    expect(wire.server.events[0]?.properties).toMatchObject({
      $mcp_client_name: 'vscode',
      $mcp_client_version: '1.99.0',
      $mcp_protocol_version: '2026-07-28',
    });
  });

  it('explicit client fields win over _meta and headers', async () => {
    const client = wire.client();
    client.captureToolCall({
      toolName: 'search',
      clientName: 'explicit',
      clientUserAgent: 'explicit-agent',
      meta: { 'io.modelcontextprotocol/clientInfo': { name: 'from-meta' } },
      headers: { 'user-agent': 'from-header' },
    });
    await client.shutdown();

    expect(wire.server.events[0]?.properties).toMatchObject({
      $mcp_client_name: 'explicit',
      $mcp_client_user_agent: 'explicit-agent',
    });
  });
  it("the caller's extra properties are sent but never override the package's own", async () => {
    const client = wire.client();
    const properties = { region: 'eu', $mcp_tool_name: 'spoof', $session_id: 'spoof', $lib: 'spoof' };
    client.captureToolCall({ toolName: 'search', sessionId: 'real-session', properties });
    await client.shutdown();

    expect(wire.server.events[0]?.properties).toMatchObject({
      region: 'eu',
      $mcp_tool_name: 'search',
      $session_id: 'real-session',
      $lib: 'posthog-node-mcp',
    });
  });

  it('a blank distinctId is no identity: the event stays anonymous', async () => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', distinctId: '  ', setProperties: { plan: 'pro' } });
    await client.shutdown();

    const [event] = wire.server.events;
    expect(event?.distinct_id).toBe(event?.properties.$session_id);
    expect(event?.properties.$process_person_profile).toBe(false);
    expect(event?.properties).not.toHaveProperty('$set');
  });
});
