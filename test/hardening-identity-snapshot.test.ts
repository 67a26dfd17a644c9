import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import type { Identity, PostHogMCP } from '../src/index';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

const tool = TOOLS[0]!;
const ok = { content: [{ type: 'text', text: 'ok' }] };

type Person = { distinctId: string; properties: Record<string, unknown>; groups: Record<string, string> };
const alice = (): Person => ({
  distinctId: 'alice',
  properties: { email_domain: 'alice.example', plan: 'pro' },
  groups: { company: 'acme' },
});

/** What a host that reuses one identity object does between two calls: turn it into Bob in place. */
function becomeBob(identity: Person): void {
  identity.distinctId = 'bob';
  identity.properties.plan = 'free';
  identity.properties.email_domain = 'bob.example';
  identity.groups.company = 'globex';
}

function expectAlice(event: IngestedEvent | undefined): void {
  expect(event?.distinct_id).toBe('alice');
  expect(event?.properties.$set).toEqual({ email_domain: 'alice.example', plan: 'pro' });
  expect(event?.properties.$groups).toEqual({ company: 'acme' });
}

describe('identity is read when the call arrives', () => {
  const wire = useIngestionServer();

  async function calls(run: (posthog: PostHogMCP, identity: Person) => void): Promise<IngestedEvent[]> {
    const posthog = wire.client();
    run(posthog, alice());
    await posthog.shutdown();
    return wire.server.events.filter((event) => event.event.startsWith('$mcp_'));
  }

  it("a reused identity object changed after the call does not change Alice's event (call steps)", async () => {
    const [first, second] = await calls((posthog, identity) => {
      const call = posthog.prepareToolCall(tool.name, {}, { tool, identity });
      posthog.completeToolCall(call, { result: ok });
      becomeBob(identity);
      const next = posthog.prepareToolCall(tool.name, {}, { tool, identity });
      posthog.completeToolCall(next, { result: ok });
    });
    expectAlice(first);
    expect(second?.distinct_id).toBe('bob');
    expect(second?.properties.$set).toEqual({ email_domain: 'bob.example', plan: 'free' });
    expect(second?.properties.$groups).toEqual({ company: 'globex' });
  });

  it('changes between prepare and complete do not reach the event', async () => {
    const [event] = await calls((posthog, identity) => {
      const call = posthog.prepareToolCall(tool.name, {}, { tool, identity });
      becomeBob(identity);
      posthog.completeToolCall(call, { result: ok });
    });
    expectAlice(event);
  });

  it('replacing the properties and groups objects after the call changes nothing', async () => {
    const [event] = await calls((posthog, identity) => {
      const call = posthog.prepareToolCall(tool.name, {}, { tool, identity });
      posthog.completeToolCall(call, { result: ok });
      identity.properties = { plan: 'enterprise' };
      identity.groups = { company: 'initech' };
    });
    expectAlice(event);
  });

  it('finished-call methods snapshot identity and setProperties/groups', async () => {
    const events = await calls((posthog, identity) => {
      posthog.captureToolCall({ toolName: 'a', identity });
      const { properties, groups } = identity;
      posthog.captureToolCall({ toolName: 'b', distinctId: 'alice', setProperties: properties, groups });
      posthog.captureResourceRead({ uri: 'file:///x', identity });
      becomeBob(identity);
    });
    expect(events).toHaveLength(3);
    for (const event of events) expectAlice(event);
  });

  it('an identify callback returning one shared object is snapshotted per request', async () => {
    const shared = alice();
    const events = await calls((posthog) => {
      const handle = posthog.instrumentRouter(route, {
        tools: () => TOOLS,
        identify: () => shared as Identity,
      });
      const message = {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: tool.name, arguments: {} },
      };
      void handle(message, undefined);
      becomeBob(shared);
      void handle({ ...message, id: 2 }, undefined);
    });
    const toolCalls = events.filter((event) => event.event === '$mcp_tool_call');
    expect(toolCalls).toHaveLength(2);
    expectAlice(toolCalls[0]);
    expect(toolCalls[1]?.distinct_id).toBe('bob');
    expect(toolCalls[1]?.properties.$groups).toEqual({ company: 'globex' });
  });

  it('identity properties behind getters are read at the call, and a throwing one is marked, not fatal', async () => {
    let plan = 'pro';
    const [event] = await calls((posthog) => {
      const identity = {
        distinctId: 'alice',
        properties: {
          get plan() {
            return plan;
          },
          get broken(): never {
            throw new Error('no');
          },
        },
      };
      const call = posthog.prepareToolCall(tool.name, {}, { tool, identity });
      plan = 'free';
      posthog.completeToolCall(call, { result: ok });
    });
    expect(event?.properties.$set).toEqual({ plan: 'pro', broken: '[unreadable]' });
  });

  it('a huge or cyclic $set is snapshotted within the payload bounds', async () => {
    const properties: Record<string, unknown> = { note: 'a note '.repeat(150_000) };
    properties.self = properties;
    const [event] = await calls((posthog) => {
      const call = posthog.prepareToolCall(
        tool.name,
        {},
        { tool, identity: { distinctId: 'alice', properties } },
      );
      posthog.completeToolCall(call, { result: ok });
      properties.note = 'changed';
    });
    const set = event?.properties.$set as Record<string, unknown>;
    expect(String(set.note).startsWith('a note a note')).toBe(true);
    expect(String(set.note).length).toBeLessThanOrEqual(32_768);
    expect(set.self).toBe('[circular]');
  });
});
