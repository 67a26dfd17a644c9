import { describe, expect, it } from 'vitest';
import type { MCPEvent, PostHogMCP, PostHogMCPOptions } from '../src/index.js';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

/**
 * The deferred stage sends an event synchronously when nothing waits (no `beforeSend`, no pending intent, no
 * siblings) and through promises otherwise. Both paths must put the same events, with the same properties, in
 * the same order on the wire.
 */

const wire = useIngestionServer();

const identity = { distinctId: 'user-7', setProperties: { plan: 'team' }, groups: { company: 'acme' } };
const request = { sessionId: 'mcp-session-1', protocolVersion: '2025-06-18', clientUserAgent: 'cli/1.0' };
const at = new Date('2026-11-29T10:00:00.000Z');
const thrown = new Error('upstream answered 503 for alice@example.com');

type Capture = (client: PostHogMCP, i: number) => void;

const variants: [string, Capture][] = [
  [
    'a successful call',
    (c, i) =>
      c.captureToolCall({
        toolName: 'get_weather',
        intent: 'check the forecast',
        parameters: { city: 'Paris', key: 'sk_live_abcdefghijklmnop1234' },
        response: { content: [{ type: 'text', text: `sunny ${i}` }] },
        durationMs: 12,
        timestamp: at,
        properties: { tenant: 'acme', $mcp_tool_name: 'overridden' },
        ...identity,
        ...request,
      }),
  ],
  [
    'a thrown failure (with its $exception)',
    (c, i) =>
      c.captureToolCall({ toolName: 'charge', error: thrown, durationMs: i, timestamp: at, ...request }),
  ],
  [
    'an isError result',
    (c) =>
      c.captureToolCall({
        toolName: 'charge',
        response: { isError: true, content: [{ type: 'text', text: 'card declined' }] },
        timestamp: at,
        sessionId: 'mcp-session-2',
        ...identity,
      }),
  ],
  [
    'initialize and tools/list',
    (c) => {
      c.captureInitialize({
        parameters: { protocolVersion: '2025-06-18', clientInfo: { name: 'claude-code', version: '2.0' } },
        response: { serverInfo: { name: 'billing' } },
        timestamp: at,
        ...identity,
        ...request,
      });
      c.captureToolsList({ toolNames: ['a', 'b'], response: { tools: [] }, timestamp: at, ...request });
    },
  ],
];

/** What must match across paths: names in order and properties, less what is minted per event. */
function comparable(events: IngestedEvent[]): unknown[] {
  return events.map((event) => {
    const properties = { ...event.properties };
    for (const key of ['$ai_span_id', '$ai_trace_id', '$exception_fingerprint']) delete properties[key];
    return { event: event.event, distinctId: event.distinct_id, timestamp: event.timestamp, properties };
  });
}

async function sent(capture: Capture, options: Partial<PostHogMCPOptions>): Promise<unknown[]> {
  const client = wire.client(options);
  for (let i = 0; i < 3; i++) capture(client, i);
  await client.shutdown();
  const events = wire.server.events.splice(0);
  expect(new Set(events.map((event) => event.uuid)).size).toBe(events.length);
  return comparable(events);
}

const keepAll = (event: MCPEvent): MCPEvent => event;

describe('the synchronous and the awaited paths of the deferred stage', () => {
  for (const [name, capture] of variants) {
    for (const [hooked, options] of [
      ['a beforeSend that keeps every event', { beforeSend: keepAll }],
      ['an async beforeSend that keeps every event', { beforeSend: async (e: MCPEvent) => keepAll(e) }],
      ['aiTracing (siblings awaited)', { aiTracing: true }],
    ] as const) {
      it(`${name}: the same events without hooks as with ${hooked}`, async () => {
        const extra = 'aiTracing' in options ? { aiTracing: true } : {};
        const plain = await sent(capture, extra);
        const awaited = await sent(capture, options);
        expect(plain.length).toBeGreaterThan(0);
        expect(awaited).toEqual(plain);
      });
    }
  }

  it('an intentFallback answer reaches its event, given at once or awaited', async () => {
    const client = wire.client({
      intentFallback: ({ toolName }) => (toolName === 'later' ? Promise.resolve('awaited goal') : 'goal now'),
    });
    for (const name of ['later', 'now']) {
      const call = client.prepareToolCall(name, { city: 'Paris' }, { session: 's-1' });
      client.completeToolCall(call, { result: { content: [] } });
    }
    await client.shutdown();
    const intents = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties.$mcp_intent);
    expect(intents.sort()).toEqual(['awaited goal', 'goal now']);
  });

  it('events sent at once and events waiting on a sibling keep the call order', async () => {
    const client = wire.client();
    for (let i = 0; i < 30; i++) {
      client.captureToolCall({ toolName: `t${i}`, ...(i % 3 === 0 ? { error: new Error(`e${i}`) } : {}) });
    }
    await client.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties.$mcp_tool_name);
    expect(calls).toEqual(Array.from({ length: 30 }, (_, i) => `t${i}`));
    expect(wire.server.eventsNamed('$exception')).toHaveLength(10);
  });

  it('finished calls from one caller object each carry only their own properties', async () => {
    const client = wire.client();
    const data = { toolName: 'charge', ...identity, ...request };
    client.captureToolCall({ ...data, error: new Error('declined') });
    client.captureInitialize(data);
    client.captureToolsList({ ...data, toolNames: ['a'] });
    client.captureToolCall({ ...data, response: { content: [] } });
    await client.shutdown();
    const [failed, succeeded] = wire.server.eventsNamed('$mcp_tool_call');
    const [initialize] = wire.server.eventsNamed('$mcp_initialize');
    const [list] = wire.server.eventsNamed('$mcp_tools_list');
    expect(failed?.properties.$mcp_error_type).toBe('Error');
    expect(succeeded?.properties.$mcp_is_error).toBe(false);
    expect(succeeded?.properties).not.toHaveProperty('$mcp_error_type');
    for (const event of [initialize, list]) {
      expect(event?.properties).not.toHaveProperty('$mcp_tool_name');
      expect(event?.properties).not.toHaveProperty('$mcp_error_message');
    }
    expect(list?.properties).not.toHaveProperty('$mcp_parameters');
  });
});
