import { beforeEach, describe, expect, it } from 'vitest';
import { deriveSessionId, encodeSessionToken, type PostHogMCP } from '../src/index.js';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire';

const HANDLE = '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f';
const FRESH_SESSION = /^ses_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const wire = useIngestionServer();
let client: PostHogMCP;

beforeEach(() => {
  client = wire.client();
});

async function callsByTool(): Promise<Record<string, IngestedEvent>> {
  await client.shutdown();
  const calls = wire.server.eventsNamed('$mcp_tool_call');
  return Object.fromEntries(calls.map((event) => [event.properties.$mcp_tool_name as string, event]));
}

describe('session of the finished-call methods', () => {
  it('a passed sessionId is used unchanged, also as the anonymous distinct_id', async () => {
    client.captureToolCall({ toolName: 'a', sessionId: 'framework-session-9' });
    const { a } = await callsByTool();
    expect(a?.properties.$session_id).toBe('framework-session-9');
    expect(a?.distinct_id).toBe('framework-session-9');
  });

  it("a sessionId that decodes as a session token gives the token's sid and client", async () => {
    const token = encodeSessionToken({ sid: 'ses_from_token', cn: 'cursor', cv: '1.0', pv: '2025-06-18' })!;
    client.captureToolCall({ toolName: 'a', sessionId: token });
    const { a } = await callsByTool();
    expect(a?.properties).toMatchObject({
      $session_id: 'ses_from_token',
      $mcp_client_name: 'cursor',
      $mcp_client_version: '1.0',
      $mcp_protocol_version: '2025-06-18',
    });
  });

  it('a valid conversationId derives the session and is sent as $mcp_conversation_id', async () => {
    client.captureToolCall({ toolName: 'a', conversationId: HANDLE });
    client.captureToolCall({ toolName: 'b', conversationId: HANDLE, sessionId: 'ignored-for-handle' });
    const { a, b } = await callsByTool();
    for (const event of [a, b]) {
      expect(event?.properties.$session_id).toBe('ses_6df45f0102a182bcd5e8dd5dad6c65a0');
      expect(event?.properties.$mcp_conversation_id).toBe(HANDLE);
    }
    expect(deriveSessionId(HANDLE)).toBe('ses_6df45f0102a182bcd5e8dd5dad6c65a0');
  });

  it('a malformed conversationId is ignored', async () => {
    client.captureToolCall({ toolName: 'a', conversationId: 'not-a-handle' });
    client.captureToolCall({ toolName: 'b', conversationId: HANDLE.toUpperCase().replace('7C3D', '4C3D') });
    const { a, b } = await callsByTool();
    for (const event of [a, b]) {
      expect(event?.properties.$session_id).toMatch(FRESH_SESSION);
      expect(event?.properties).not.toHaveProperty('$mcp_conversation_id');
    }
  });

  it('without any session each call gets its own fresh ses_<UUIDv7>', async () => {
    client.captureToolCall({ toolName: 'a' });
    client.captureToolCall({ toolName: 'b' });
    const { a, b } = await callsByTool();
    expect(a?.properties.$session_id).toMatch(FRESH_SESSION);
    expect(b?.properties.$session_id).toMatch(FRESH_SESSION);
    expect(a?.properties.$session_id).not.toBe(b?.properties.$session_id);
  });

  it('a transport session string is derived and a connection key keeps one session across calls', async () => {
    client.captureToolCall({ toolName: 'a', session: 'mcp-session-123' });
    client.captureInitialize({ session: { connection: 'stdio' }, clientName: 'zed' });
    client.captureToolCall({ toolName: 'b', session: { connection: 'stdio' } });
    client.captureToolCall({ toolName: 'c', session: { connection: 'stdio' } });
    const { a, b, c } = await callsByTool();
    expect(a?.properties.$session_id).toBe('ses_ce26563743171e0409e1abaf955778b8');
    expect(b?.properties.$session_id).toMatch(FRESH_SESSION);
    expect(c?.properties.$session_id).toBe(b?.properties.$session_id);
    expect(b?.properties.$mcp_client_name).toBe('zed');
  });

  it('the $exception sibling shares the session and conversation of its call', async () => {
    client.captureToolCall({ toolName: 'a', conversationId: HANDLE, error: new Error('x') });
    await client.shutdown();
    const [exception] = wire.server.eventsNamed('$exception');
    expect(exception?.properties.$session_id).toBe(deriveSessionId(HANDLE));
    expect(exception?.properties.$mcp_conversation_id).toBe(HANDLE);
    expect(exception?.distinct_id).toBe(deriveSessionId(HANDLE));
  });

  it('an identity whose distinct id PostHog would refuse (over 200 characters) is sent as anonymous', async () => {
    client.captureToolCall({ toolName: 'a', sessionId: 's-1', distinctId: 'u'.repeat(201) });
    client.captureToolCall({ toolName: 'b', sessionId: 's-2', distinctId: 'u'.repeat(200) });
    const { a, b } = await callsByTool();
    expect(a?.distinct_id).toBe('s-1');
    expect(a?.properties.$process_person_profile).toBe(false);
    expect(b?.distinct_id).toBe('u'.repeat(200));
  });
});
