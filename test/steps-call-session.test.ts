import { describe, expect, it } from 'vitest';
import {
  deriveSessionId,
  encodeSessionToken,
  type PostHogMCP,
  type PrepareToolCallOptions,
  type ToolDescriptor,
} from '../src/index';
import { readHandleFromResult } from '../src/session/conversation-handle';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const tool: ToolDescriptor = { name: 'search_docs', inputSchema: { type: 'object', properties: {} } };
const HANDLE = '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f';
const ok = { content: [{ type: 'text', text: 'ok' }] };
const SES_UUIDV7 = /^ses_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MINUTE = 60_000;

function run(posthog: PostHogMCP, args: Record<string, unknown>, options: PrepareToolCallOptions = {}) {
  const call = posthog.prepareToolCall('search_docs', args, { tool, ...options });
  const endedAt = options.startedAt;
  const delivered = posthog.completeToolCall(call, {
    result: ok,
    ...(endedAt === undefined ? {} : { endedAt }),
  });
  return { call, delivered };
}

async function toolCalls(posthog: PostHogMCP) {
  await posthog.shutdown();
  return wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
}

describe('session precedence', () => {
  it('an echoed handle wins over a string session and a connection', async () => {
    const posthog = wire.client();
    const a = run(posthog, { conversation_id: HANDLE }, { session: 'mcp-session-123' });
    const b = run(posthog, { conversation_id: HANDLE.toUpperCase() }, { session: { connection: 'c' } });
    const events = await toolCalls(posthog);
    for (const { call } of [a, b]) expect(call.sessionId).toBe('ses_6df45f0102a182bcd5e8dd5dad6c65a0');
    for (const props of events) {
      expect(props.$session_id).toBe(deriveSessionId(HANDLE));
      expect(props.$mcp_conversation_id).toBe(HANDLE);
    }
    expect(a.delivered).toEqual(ok);
  });

  it('a string session that decodes as a token gives its sid, any other is derived', async () => {
    const posthog = wire.client();
    const token = encodeSessionToken({ sid: 'ses_from_token' }) ?? '';
    const fromToken = run(posthog, {}, { session: token });
    const derived = run(posthog, {}, { session: 'mcp-session-123' });
    const events = await toolCalls(posthog);
    expect(events.map((props) => props.$session_id)).toEqual([
      'ses_from_token',
      'ses_ce26563743171e0409e1abaf955778b8',
    ]);
    expect(fromToken.call.conversationId).toBeUndefined();
    expect(derived.delivered).toEqual(ok);
  });

  it('a connection keeps one generated session across calls and mints no handle', async () => {
    const posthog = wire.client();
    const first = run(posthog, {}, { session: { connection: 'stdio' } });
    const second = run(posthog, {}, { session: { connection: 'stdio' } });
    const other = run(posthog, {}, { session: { connection: 'other' } });
    await toolCalls(posthog);
    expect(first.call.sessionId).toMatch(SES_UUIDV7);
    expect(second.call.sessionId).toBe(first.call.sessionId);
    expect(other.call.sessionId).not.toBe(first.call.sessionId);
    expect(first.delivered).toEqual(ok);
  });

  it('a connection rotates on the first call starting 30 minutes after the previous call ended', async () => {
    const posthog = wire.client();
    const session = { connection: 'stdio' };
    const t0 = Date.now();
    const ids = [run(posthog, {}, { session, startedAt: t0 }).call.sessionId];
    ids.push(run(posthog, {}, { session, startedAt: t0 + 30 * MINUTE - 1 }).call.sessionId);
    ids.push(run(posthog, {}, { session, startedAt: t0 + 60 * MINUTE - 1 }).call.sessionId);
    const events = await toolCalls(posthog);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[1]);
    expect(events.map((props) => props.$session_id)).toEqual(ids);
  });

  it('a connection does not rotate while a call that began within 30 minutes is still running', async () => {
    const posthog = wire.client();
    const session = { connection: 'stdio' };
    const t0 = Date.now();
    const first = run(posthog, {}, { session, startedAt: t0 }).call.sessionId;
    const long = posthog.prepareToolCall('search_docs', {}, { tool, session, startedAt: t0 + 31 * MINUTE });
    const overlapping = run(posthog, {}, { session, startedAt: t0 + 56 * MINUTE }).call.sessionId;
    posthog.completeToolCall(long, { result: ok, endedAt: t0 + 56 * MINUTE });
    await toolCalls(posthog);
    expect(long.sessionId).not.toBe(first);
    expect(overlapping).toBe(long.sessionId);
  });

  it("a call left in flight longer than 30 minutes no longer holds the connection's session", async () => {
    const posthog = wire.client();
    const session = { connection: 'stdio' };
    const t0 = Date.now();
    const leaked = posthog.prepareToolCall('search_docs', {}, { tool, session, startedAt: t0 });
    const next = run(posthog, {}, { session, startedAt: t0 + 45 * MINUTE }).call.sessionId;
    await toolCalls(posthog);
    expect(next).not.toBe(leaked.sessionId);
  });

  it('without any session each call gets a fresh id and a minted handle, so two clients never share one', async () => {
    const posthog = wire.client();
    const a = run(posthog, { query: 'a' });
    const b = run(posthog, { query: 'b' });
    const events = await toolCalls(posthog);
    expect(a.call.conversationId).not.toBe(b.call.conversationId);
    expect(readHandleFromResult(a.delivered)).toBe(a.call.conversationId);
    expect(events[0]?.$session_id).toBe(deriveSessionId(a.call.conversationId ?? ''));
    expect(events[0]?.$session_id).not.toBe(events[1]?.$session_id);
  });

  it.each(['not-a-handle', '0190f0e8-7a6b-4c3d-9e4f-5a6b7c8d9e0f', `${HANDLE} `, 42])(
    'a malformed handle (%j) is stripped and ignored',
    async (bad) => {
      const posthog = wire.client();
      const { call } = run(posthog, { query: 'q', conversation_id: bad }, { session: 'legacy' });
      const [props] = await toolCalls(posthog);
      expect(call.args).toEqual({ query: 'q' });
      expect(call.conversationId).toBeUndefined();
      expect(props?.$session_id).toBe(deriveSessionId('legacy'));
      expect(props).not.toHaveProperty('$mcp_conversation_id');
    },
  );
});

describe('client identity per request', () => {
  const token = encodeSessionToken({ sid: 'ses_t', cn: 'token-client', cv: '0.1', pv: '2024-11-05' }) ?? '';
  const meta = {
    'io.modelcontextprotocol/clientInfo': { name: 'meta-client', version: '9.9' },
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  };
  const identity = (props: Record<string, unknown> | undefined) => [
    props?.$mcp_client_name,
    props?.$mcp_client_version,
    props?.$mcp_protocol_version,
  ];

  it('takes _meta first, then the protocol header, then the token, then initialize on the connection', async () => {
    const posthog = wire.client();
    const session = { connection: 'stdio' };
    posthog.captureInitialize({
      session,
      parameters: { protocolVersion: '2025-03-26', clientInfo: { name: 'init-client', version: '1.0' } },
    });
    const header = { 'mcp-protocol-version': '2025-06-18' };
    run(posthog, {}, { meta, headers: header, session: token });
    run(posthog, {}, { headers: header, session: token });
    run(posthog, {}, { session: token });
    run(posthog, {}, { session });
    run(posthog, {}, { session: { connection: 'never-initialized' } });
    const events = await toolCalls(posthog);
    expect(events.map(identity)).toEqual([
      ['meta-client', '9.9', '2026-07-28'],
      ['token-client', '0.1', '2025-06-18'],
      ['token-client', '0.1', '2024-11-05'],
      ['init-client', '1.0', '2025-03-26'],
      [undefined, undefined, undefined],
    ]);
  });

  it.each([
    [
      'a plain object',
      {
        'User-Agent': 'agent/1.0',
        'x-anthropic-client': 'claude-code',
        'MCP-Protocol-Version': '2025-06-18',
      },
    ],
    [
      'WHATWG Headers',
      new Headers({
        'user-agent': 'agent/1.0',
        'X-Anthropic-Client': 'claude-code',
        'mcp-protocol-version': '2025-06-18',
      }),
    ],
  ])('reads User-Agent, X-Anthropic-Client and MCP-Protocol-Version from %s', async (_, headers) => {
    const posthog = wire.client();
    run(posthog, {}, { headers });
    const [props] = await toolCalls(posthog);
    expect(props?.$mcp_client_user_agent).toBe('agent/1.0');
    expect(props?.$mcp_vendor_client).toBe('claude-code');
    expect(props?.$mcp_protocol_version).toBe('2025-06-18');
  });
});
