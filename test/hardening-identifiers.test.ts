import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import type { PostHogMCP } from '../src/index';
import { isPlainSessionId, sessionIdFrom } from '../src/request/identity';
import { encodeSessionToken } from '../src/session/session-token';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

const DERIVED = /^ses_[0-9a-f]{32}$/;
const UNFIT = /[\p{Cc}\p{Cs}]/u;
const KEY = `phc_${'A'.repeat(40)}`;

/** Client-chosen `sid` values that must never become identifiers as they are. */
const FORGED_SIDS: [string, string][] = [
  ['an email, a key and a lone surrogate', `jane.doe@example.com ${KEY} \ud800`],
  ['an email alone', 'jane.doe@example.com'],
  ['a project API key alone', KEY],
  ['a lone low surrogate', 'abc\udc00'],
  ['control characters and a terminal escape', 'ses_\u0007\u001b[2J'],
  ['a newline', 'ses_a\nses_b'],
  ['a C1 control', 'ses_\u0085x'],
  ['a right-to-left override', 'ses_\u202eevil'],
  ['spaces', 'my session'],
];

const tool = TOOLS[0]!;
const ok = { content: [{ type: 'text', text: 'ok' }] };

function checkIdentifiers(event: IngestedEvent | undefined, forged: string): void {
  expect(event).toBeDefined();
  const sessionId = event?.properties.$session_id as string;
  expect(sessionId).toMatch(DERIVED);
  expect(event?.distinct_id).toBe(sessionId);
  for (const id of [sessionId, event?.distinct_id ?? '']) {
    expect(id).not.toMatch(UNFIT);
    expect(id).not.toContain(forged);
  }
}

describe('a session id is used as given only when it is plain', () => {
  it.each([
    ['ses_0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f', true],
    ['mcp-session-123', true],
    ['tenant:42.conn_7', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ...FORGED_SIDS.map(([, sid]) => [sid, false] as [string, boolean]),
  ])('%j plain: %s', (value, plain) => {
    expect(isPlainSessionId(value)).toBe(plain);
    expect(sessionIdFrom(value)).toMatch(plain ? /^[A-Za-z0-9_.:-]+$/ : DERIVED);
  });
});

describe('forged identifiers on the wire', () => {
  const wire = useIngestionServer();

  async function events(send: (posthog: PostHogMCP) => void): Promise<IngestedEvent[]> {
    const posthog = wire.client();
    send(posthog);
    await posthog.shutdown();
    return wire.server.events.filter((event) => event.event.startsWith('$mcp_'));
  }

  it.each(FORGED_SIDS)('a session token whose sid is %s is derived on every path', async (_, sid) => {
    const token = encodeSessionToken({ sid, cn: 'agent' }) ?? '';
    expect(token).not.toBe('');
    const sent = await events((posthog) => {
      const call = posthog.prepareToolCall(tool.name, { query: 'q' }, { tool, session: token });
      posthog.completeToolCall(call, { result: ok });
      posthog.captureToolCall({ toolName: 'finished', sessionId: token });
      posthog.captureResourceRead({ uri: 'file:///a', session: token });
      const handle = posthog.instrumentRouter(route, { tools: () => TOOLS, session: () => token });
      handle(
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool.name, arguments: {} } },
        undefined,
      );
    });
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const derived = new Set(sent.map((event) => event.properties.$session_id));
    expect(derived.size).toBe(1);
    for (const event of sent) checkIdentifiers(event, sid);
  });

  it.each(FORGED_SIDS)('a caller session id that is %s is derived', async (_, sessionId) => {
    const sent = await events((posthog) => {
      posthog.captureToolCall({ toolName: 'finished', sessionId });
      posthog.captureInitialize({ sessionId });
    });
    expect(sent).toHaveLength(2);
    for (const event of sent) checkIdentifiers(event, sessionId);
  });

  it('a plain token sid and a plain caller session id are used as given', async () => {
    const sid = 'ses_0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f';
    const sent = await events((posthog) => {
      posthog.captureToolCall({ toolName: 'a', session: encodeSessionToken({ sid }) ?? '' });
      posthog.captureToolCall({ toolName: 'b', sessionId: 'mcp-session-123' });
    });
    expect(sent.map((event) => event.properties.$session_id)).toEqual([sid, 'mcp-session-123']);
  });

  it.each([
    ['a lone surrogate', 'user_\ud800'],
    ['a control character', 'user\u0000admin'],
    ['an escape sequence', 'user\u001b]0;pwned\u0007'],
    ['a C1 control', 'user\u009b'],
  ])('a distinct id with %s is not used; the event is anonymous', async (_, distinctId) => {
    const sent = await events((posthog) => {
      const call = posthog.prepareToolCall(tool.name, {}, { tool, identity: { distinctId } });
      posthog.completeToolCall(call, { result: ok });
      posthog.captureToolCall({ toolName: 'x', distinctId, setProperties: { plan: 'pro' } });
      posthog.captureToolCall({ toolName: 'y', identity: { distinctId } });
    });
    expect(sent).toHaveLength(3);
    for (const event of sent) {
      expect(event.distinct_id).not.toMatch(UNFIT);
      expect(event.distinct_id).toBe(event.properties.$session_id);
      expect(event.properties.$process_person_profile).toBe(false);
      expect(event.properties.$set).toBeUndefined();
    }
  });

  it('group keys and values with control characters or a cut surrogate pair are dropped, the rest kept', async () => {
    const cut = `${'k'.repeat(255)}😀`;
    const groups = {
      company: 'acme',
      'bad\u0000key': 'x',
      team: 'ops\u001b[31m',
      [cut]: 'v',
      project: 'p\ud800',
      size: 3,
    };
    const sent = await events((posthog) => {
      const call = posthog.prepareToolCall(tool.name, {}, { tool, identity: { distinctId: 'u1', groups } });
      posthog.completeToolCall(call, { result: ok });
    });
    const [event] = sent;
    // A lone surrogate in a value becomes U+FFFD, as in every other sanitized name.
    expect(event?.properties.$groups).toEqual({ company: 'acme', project: 'p\ufffd', size: 3 });
    const body = JSON.stringify(wire.server.bodies);
    expect(body).not.toMatch(/\\u001b|\\u0000|\\ud800/i);
  });

  it('a forged conversation handle is ignored and never sent', async () => {
    const sent = await events((posthog) => {
      for (const conversation_id of [
        '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f\u0000',
        'jane@example.com',
        '\ud800',
      ]) {
        const call = posthog.prepareToolCall(tool.name, { conversation_id }, { tool });
        posthog.completeToolCall(call, { result: ok });
      }
    });
    for (const event of sent) {
      expect(String(event.properties.$mcp_conversation_id)).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.distinct_id).toMatch(DERIVED);
    }
  });
});
