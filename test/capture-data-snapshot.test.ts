import { describe, expect, it } from 'vitest';
import type { PostHogMCP } from '../src/index';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

/**
 * The finished-call methods read the caller's fields when called and build the event later: a host that
 * reuses one data object and changes it right after the call must not change the event already accepted.
 */
describe("a capture method's data is read when it is called", () => {
  const wire = useIngestionServer();

  async function events(run: (posthog: PostHogMCP) => void): Promise<IngestedEvent[]> {
    const posthog = wire.client();
    run(posthog);
    await posthog.shutdown();
    return wire.server.events.filter((event) => event.event.startsWith('$mcp_'));
  }

  it('captureToolCall: every top-level field changed after the call keeps its value at call time', async () => {
    const data: Record<string, unknown> = {
      toolName: 'get_weather',
      sessionId: 'session-a',
      distinctId: 'alice',
      setProperties: { plan: 'pro' },
      groups: { company: 'acme' },
      clientName: 'cursor',
      protocolVersion: '2025-06-18',
      durationMs: 40,
      timestamp: new Date('2026-01-02T03:04:05.000Z'),
      properties: { tenant: 'one' },
      response: { content: [{ type: 'text', text: 'sunny' }] },
    };
    const [event] = await events((posthog) => {
      posthog.captureToolCall(data as never);
      Object.assign(data, {
        toolName: 'delete_everything',
        sessionId: 'session-b',
        distinctId: 'bob',
        setProperties: { plan: 'free' },
        groups: { company: 'globex' },
        clientName: 'other',
        protocolVersion: '2024-11-05',
        durationMs: 9,
        timestamp: new Date('2020-01-01T00:00:00.000Z'),
        properties: { tenant: 'two' },
        response: { content: [{ type: 'text', text: 'changed' }] },
        isError: true,
        error: new Error('late'),
      });
    });
    expect(event?.distinct_id).toBe('alice');
    expect(event?.properties).toMatchObject({
      $mcp_tool_name: 'get_weather',
      $session_id: 'session-a',
      $set: { plan: 'pro' },
      $groups: { company: 'acme' },
      $mcp_client_name: 'cursor',
      $mcp_protocol_version: '2025-06-18',
      $mcp_duration_ms: 40,
      $mcp_is_error: false,
      tenant: 'one',
    });
    expect(event?.timestamp).toBe('2026-01-02T03:04:05.000Z');
  });

  it('captureInitialize and captureToolsList keep the values at call time', async () => {
    const init: Record<string, unknown> = {
      parameters: { protocolVersion: '2025-06-18', clientInfo: { name: 'claude-code', version: '2.0.31' } },
      sessionId: 'session-a',
    };
    const list: Record<string, unknown> = { toolNames: ['a', 'b'], sessionId: 'session-a', durationMs: 3 };
    const [initialize, toolsList] = await events((posthog) => {
      posthog.captureInitialize(init as never);
      init.parameters = { clientInfo: { name: 'late', version: '0' } };
      init.sessionId = 'session-b';
      posthog.captureToolsList(list as never);
      list.toolNames = ['c'];
      list.durationMs = 99;
    });
    expect(initialize?.properties).toMatchObject({
      $session_id: 'session-a',
      $mcp_client_name: 'claude-code',
      $mcp_client_version: '2.0.31',
      $mcp_protocol_version: '2025-06-18',
    });
    expect(toolsList?.properties).toMatchObject({
      $session_id: 'session-a',
      $mcp_listed_tool_names: ['a', 'b'],
      $mcp_duration_ms: 3,
    });
  });

  it('a getter runs once, at call time; a throwing one reads as absent', async () => {
    let reads = 0;
    const data = {
      get toolName(): string {
        reads += 1;
        return reads === 1 ? 'first_read' : 'later_read';
      },
      get sessionId(): string {
        throw new Error('hostile getter');
      },
      durationMs: 5,
    };
    const [event] = await events((posthog) => posthog.captureToolCall(data));
    expect(reads).toBe(1);
    expect(event?.properties.$mcp_tool_name).toBe('first_read');
    expect(typeof event?.properties.$session_id).toBe('string');
  });

  it('data that is not an object literal is still read field by field (class, proxy, null prototype)', async () => {
    class CallData {
      get toolName(): string {
        return 'from_class';
      }
    }
    const hidden = new Proxy(
      { toolName: 'from_proxy' },
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    const bare = Object.assign(Object.create(null) as object, { toolName: 'from_bare' });
    const sent = await events((posthog) => {
      posthog.captureToolCall(new CallData() as never);
      posthog.captureToolCall(hidden);
      posthog.captureToolCall(bare as never);
    });
    expect(sent.map((event) => event.properties.$mcp_tool_name)).toEqual([
      'from_class',
      'from_proxy',
      'from_bare',
    ]);
  });
});
