import type { Server } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { start } from '../examples/http-router';
import { decodeSessionToken, deriveSessionId, type PostHogMCP } from '../src/index';
import { readHandleFromResult } from '../src/session/conversation-handle';
import type { IngestedEvent } from './helpers/ingestion-server';
import { connectHttp, textsOf } from './helpers/mcp-client';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer({ scope: 'all' });
const servers: Server[] = [];
const clients: Client[] = [];
const analytics: PostHogMCP[] = [];

async function pod(stateless: boolean): Promise<{ url: string; posthog: PostHogMCP }> {
  const posthog = wire.client({ reportMissing: true, collectFeedback: true });
  const { url, server } = await start(0, { posthog, stateless });
  servers.push(server);
  analytics.push(posthog);
  return { url, posthog };
}

/** A client behind a round-robin load balancer over the given pods. */
async function balancedClient(urls: string[]): Promise<Client> {
  let next = 0;
  const balance = (_input: string | URL, init?: RequestInit) => fetch(urls[next++ % urls.length] ?? '', init);
  const client = new Client({ name: 'stateless-agent', version: '5.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(urls[0] ?? ''), { fetch: balance }));
  clients.push(client);
  return client;
}

const toolCalls = () => wire.server.eventsNamed('$mcp_tool_call');
const byClient = (name: string) => toolCalls().filter((event) => event.properties.$mcp_client_name === name);

afterAll(async () => {
  for (const client of clients) await client.close();
  for (const server of servers) server.close();
  await Promise.all(analytics.map((posthog) => posthog.shutdown()));
});

describe('a legacy client with a minted Mcp-Session-Id token', () => {
  it('keeps one session and its client identity, with results unchanged', async () => {
    const { url, posthog } = await pod(false);
    const client = await connectHttp(url, 'legacy-agent');
    clients.push(client);
    const sessionToken = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    await client.listTools();
    const first = await client.callTool({
      name: 'search_docs',
      arguments: { query: 'a', context: 'look up a' },
    });
    const second = await client.callTool({ name: 'flaky_lookup', arguments: { order_id: 'o-2' } });
    await posthog.flush();
    const sid = decodeSessionToken(sessionToken)?.sid;
    expect(sid).toMatch(/^ses_/);
    expect(decodeSessionToken(sessionToken)).toMatchObject({
      cn: 'legacy-agent',
      cv: '3.1.0',
      pv: '2025-11-25',
    });
    expect(first).toEqual({ content: [{ type: 'text', text: '3 pages match "a".' }] });
    expect(second).toMatchObject({ isError: true, content: [{ type: 'text' }] });
    expect(textsOf(second)).toHaveLength(1);
    const events = wire.server.events.filter((event) => event.properties.$session_id === sid);
    expect(events.map((event) => event.event).sort()).toEqual([
      '$exception',
      '$mcp_initialize',
      '$mcp_tool_call',
      '$mcp_tool_call',
      '$mcp_tools_list',
    ]);
    for (const event of events)
      expect(event.properties).toMatchObject({
        $mcp_client_name: 'legacy-agent',
        $mcp_protocol_version: '2025-11-25',
      });
    expect(byClient('legacy-agent')[0]?.properties.$mcp_client_user_agent).toEqual(expect.any(String));
  });
});

describe('a stateless client behind a load balancer', () => {
  it('echoes handles across two server instances and lands in one $session_id', async () => {
    const [a, b] = [await pod(true), await pod(true)];
    const client = await balancedClient([a.url, b.url]);
    expect((client.transport as StreamableHTTPClientTransport).sessionId).toBeUndefined();
    const first = await client.callTool({ name: 'search_docs', arguments: { query: 'one' } });
    const handle = readHandleFromResult(first) ?? '';
    const second = await client.callTool({
      name: 'annotate',
      arguments: { note: 'two', conversation_id: handle },
    });
    const third = await client.callTool({
      name: 'search_docs',
      arguments: { query: 'three', conversation_id: handle },
    });
    await Promise.all([a.posthog.flush(), b.posthog.flush()]);
    expect(textsOf(first)).toEqual(['3 pages match "one".', `{"conversation_id":"${handle}"}`]);
    expect(second).toEqual({ content: [{ type: 'text', text: 'stored: {"note":"two"}' }] });
    expect(textsOf(third)).toEqual(['3 pages match "three".']);
    const sent = (event: IngestedEvent) => JSON.stringify(event.properties.$mcp_parameters);
    const calls = toolCalls().filter((event) => /"(one|two|three)"/.test(sent(event)));
    expect(calls).toHaveLength(3);
    expect(calls[0]?.properties).not.toHaveProperty('$mcp_client_name');
    for (const event of calls)
      expect(event.properties).toMatchObject({
        $session_id: deriveSessionId(handle),
        $mcp_conversation_id: handle,
      });
  });

  it('two clients without sessions never share one', async () => {
    const { url, posthog } = await pod(true);
    const [one, two] = [await connectHttp(url, 'agent-one'), await connectHttp(url, 'agent-two')];
    clients.push(one, two);
    const results = [
      await one.callTool({ name: 'search_docs', arguments: { query: 'x' } }),
      await two.callTool({ name: 'search_docs', arguments: { query: 'x' } }),
    ];
    await posthog.flush();
    const handles = results.map((result) => readHandleFromResult(result));
    expect(handles[0]).not.toBe(handles[1]);
    const sessions = toolCalls()
      .filter(
        (event) => event.properties.$mcp_tool_name === 'search_docs' && event.properties.$mcp_parameters,
      )
      .filter((event) => handles.includes(String(event.properties.$mcp_conversation_id)))
      .map((event) => event.properties.$session_id);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).not.toBe(sessions[1]);
  });

  it('a 2026-07-28 request without initialize identifies its client from _meta', async () => {
    const { url, posthog } = await pod(true);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'mcp-protocol-version': '2026-07-28',
        'user-agent': 'raw/1',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'search_docs',
          arguments: { query: 'raw' },
          _meta: { 'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.1.0' } },
        },
      }),
    });
    const body = (await response.json()) as { result: unknown };
    await posthog.flush();
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(readHandleFromResult(body.result)).toMatch(/^[0-9a-f-]{36}$/);
    expect(byClient('claude-code')[0]?.properties).toMatchObject({
      $mcp_client_version: '2.1.0',
      $mcp_protocol_version: '2026-07-28',
      $mcp_client_user_agent: 'raw/1',
    });
  });
});
