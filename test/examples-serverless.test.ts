import { beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../examples/serverless';
import { EVENT, PROP } from '../src/index';
import { readHandleFromResult } from '../src/session/conversation-handle';
import { createTestClientOptions } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

function rpc(body: object, headers: Record<string, string> = {}): Request {
  return new Request('https://mcp.example.com/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'agent/1.0', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...body }),
  });
}

describe('examples/serverless.ts', () => {
  const wire = useIngestionServer();
  let pending: Promise<unknown>[];
  beforeEach(() => {
    pending = [];
  });

  const waitUntil = (promise: Promise<unknown>) => {
    pending.push(promise);
  };

  it('answers before any analytics is sent, and the work handed to waitUntil delivers the events', async () => {
    const handle = createHandler(waitUntil, createTestClientOptions(wire.server));
    const response = await handle(
      rpc({
        method: 'tools/call',
        params: { name: 'search_docs', arguments: { query: 'refunds', context: 'answer a refund question' } },
      }),
    );
    const body = (await response.json()) as { result: { content: { text: string }[] } };
    expect(response.status).toBe(200);
    expect(body.result.content[0]?.text).toBe('2 pages match "refunds".');
    expect(readHandleFromResult(body.result)).toEqual(expect.any(String));
    expect(wire.server.events).toEqual([]);
    expect(pending.length).toBeGreaterThan(0);

    while (pending.length > 0) await Promise.all(pending.splice(0));
    const [call] = wire.server.eventsNamed(EVENT.toolCall);
    expect(call?.properties).toMatchObject({
      [PROP.toolName]: 'search_docs',
      [PROP.intent]: 'answer a refund question',
      [PROP.serverName]: 'docs-serverless',
      [PROP.clientUserAgent]: 'agent/1.0',
      [PROP.parameters]: { request: { params: { name: 'search_docs', arguments: { query: 'refunds' } } } },
    });
  });

  it('advertises the tool with the injected arguments and answers other methods with an error', async () => {
    const handle = createHandler(waitUntil, createTestClientOptions(wire.server));
    const list = (await (await handle(rpc({ method: 'tools/list' }))).json()) as {
      result: { tools: { name: string; inputSchema: { properties: Record<string, unknown> } }[] };
    };
    expect(list.result.tools[0]?.name).toBe('search_docs');
    expect(Object.keys(list.result.tools[0]?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['query', 'context', 'llm_model', 'conversation_id']),
    );
    const other = (await (await handle(rpc({ method: 'prompts/list' }))).json()) as { error?: unknown };
    expect(other.error).toEqual({ code: -32601, message: 'Not found' });
  });

  it('uses a legacy Mcp-Session-Id header as the session', async () => {
    const handle = createHandler(waitUntil, createTestClientOptions(wire.server));
    await handle(
      rpc(
        { method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'x' } } },
        { 'mcp-session-id': 'mcp-session-123' },
      ),
    );
    while (pending.length > 0) await Promise.all(pending.splice(0));
    expect(wire.server.eventsNamed(EVENT.toolCall)[0]?.properties[PROP.sessionId]).toBe(
      'ses_ce26563743171e0409e1abaf955778b8',
    );
  });
});
