import { describe, expect, it } from 'vitest';
import type { PostHogMCP } from '../src/client';
import { resolveOptions } from '../src/resolve-options';
import { readHandleFromResult } from '../src/session/conversation-handle';
import { deriveSessionId } from '../src/session/derive-session-id';
import { MAX_LISTED_TOOLS, ToolCatalog } from '../src/tools/tool-catalog';
import { LONG, seededRandom, yieldTurns } from './helpers/hardening-harness';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

const SESSIONS = 1_000;
const CALLS_PER_SESSION = 3;
const DISTINCT = 100_000;
const CLIENT_DISTINCT = LONG ? 100_000 : 20_000;
const TOOL = { name: 'lookup', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };

const wire = useIngestionServer();

type Kind = 'connection' | 'transport' | 'handle';
const kindOf = (s: number): Kind => (['connection', 'transport', 'handle'] as const)[s % 3] as Kind;

/** One session's calls: its own identity, client and session source, with seeded delays inside the handler. */
async function runSession(client: PostHogMCP, s: number, random: () => number): Promise<void> {
  const connection = { id: s };
  let handle: string | undefined;
  for (let k = 0; k < CALLS_PER_SESSION; k++) {
    const kind = kindOf(s);
    const session =
      kind === 'connection' ? { connection } : kind === 'transport' ? `transport-${s}` : undefined;
    const call = client.prepareToolCall(
      'lookup',
      { q: `s-${s}-call-${k}`, ...(handle ? { conversation_id: handle } : {}) },
      {
        tool: TOOL,
        ...(session ? { session } : {}),
        identity: { distinctId: `user-${s}`, properties: { session: s }, groups: { company: `co-${s}` } },
        headers: { 'user-agent': `agent-${s}` },
        meta: { 'io.modelcontextprotocol/clientInfo': { name: `client-${s}`, version: `${s}.0` } },
      },
    );
    await yieldTurns(Math.floor(random() * 6));
    const outcome =
      k === 1 && s % 5 === 0
        ? { error: new Error(`failure in ${s}`) }
        : { result: { content: [{ type: 'text', text: `ok ${s}` }] } };
    const delivered = client.completeToolCall(call, outcome);
    handle ??= readHandleFromResult(delivered);
  }
}

/** The session number an event belongs to, read from its arguments (or its tool call's, for `$exception`). */
function sessionOf(event: IngestedEvent): number {
  return Number(String(event.properties.$set && (event.properties.$set as { session: number }).session));
}

function checkOwnIdentity(event: IngestedEvent): string[] {
  const s = sessionOf(event);
  const p = event.properties;
  const problems: string[] = [];
  const expect = (ok: boolean, what: string): void => {
    if (!ok) problems.push(`${event.event} of session ${s}: ${what}`);
  };
  expect(event.distinct_id === `user-${s}`, `distinct_id ${event.distinct_id}`);
  expect((p.$groups as Record<string, string>)?.company === `co-${s}`, 'groups');
  expect(p.$mcp_client_name === `client-${s}` && p.$mcp_client_version === `${s}.0`, 'client');
  expect(p.$mcp_client_user_agent === `agent-${s}`, 'user agent');
  const args = JSON.stringify(p.$mcp_parameters ?? `s-${s}-call-`);
  expect(args.includes(`s-${s}-call-`), 'arguments');
  if (kindOf(s) === 'transport')
    expect(p.$session_id === deriveSessionId(`transport-${s}`), 'transport session');
  return problems;
}

describe('1,000 interleaved sessions on one client', () => {
  it('every event carries exactly its own identity, groups, client and session', async () => {
    const client = wire.client({ flushAt: 200, exceptionRateLimit: false });
    const random = seededRandom(42);
    await Promise.all(Array.from({ length: SESSIONS }, (_, s) => runSession(client, s, random)));
    await client.shutdown(30_000);

    const events = wire.server.events;
    const calls = events.filter((event) => event.event === '$mcp_tool_call');
    expect(calls).toHaveLength(SESSIONS * CALLS_PER_SESSION);
    expect(events.filter((event) => event.event === '$exception')).toHaveLength(SESSIONS / 5);
    expect(events.flatMap(checkOwnIdentity)).toEqual([]);

    const sessionsBySession = new Map<number, Set<unknown>>();
    for (const event of events) {
      const s = sessionOf(event);
      sessionsBySession.set(s, (sessionsBySession.get(s) ?? new Set()).add(event.properties.$session_id));
    }
    // A connection keeps one session id; a handle anchors every call after the first (which minted it).
    const spread = [...sessionsBySession].map(([s, ids]) =>
      kindOf(s) === 'handle' ? ids.size <= 2 : ids.size === 1,
    );
    expect(spread.every(Boolean)).toBe(true);
    // No session id is shared by two sessions.
    const allIds = [...sessionsBySession.values()].flatMap((ids) => [...ids]);
    expect(new Set(allIds).size).toBe(allIds.length);
  }, 120_000);
});

describe(`per-session and per-connection state under ${DISTINCT.toLocaleString('en')} distinct sessions`, () => {
  it('the tool catalog remembers ownership for only its bound of most recently listed tools', () => {
    const catalog = new ToolCatalog(resolveOptions({}));
    for (let start = 0; start < DISTINCT; start += 1_000) {
      catalog.prepare(
        Array.from({ length: 1_000 }, (_, i) => ({
          name: `tool-${start + i}`,
          inputSchema: { type: 'object' },
        })),
      );
    }
    expect(catalog.listed(`tool-${DISTINCT - 1}`)).toBeDefined();
    expect(catalog.listed(`tool-${DISTINCT - MAX_LISTED_TOOLS}`)).toBeDefined();
    expect(catalog.listed(`tool-${DISTINCT - MAX_LISTED_TOOLS - 1}`)).toBeUndefined();
    expect(catalog.listed('tool-0')).toBeUndefined();
  });

  it(`the client keeps working across ${CLIENT_DISTINCT.toLocaleString('en')} distinct connections and sessions`, async () => {
    const client = wire.client({ flushAt: 500, captureParameters: false, captureResponse: false });
    for (let s = 0; s < CLIENT_DISTINCT; s++) {
      const session = s % 2 === 0 ? { connection: { s } } : `transport-${s}`;
      const call = client.prepareToolCall('lookup', { q: 'x' }, { tool: TOOL, session });
      client.completeToolCall(call, { result: { content: [] } });
      if (s % 1_000 === 0) await client.flush();
    }
    await client.shutdown(60_000);
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(CLIENT_DISTINCT);
  }, 180_000);
});
