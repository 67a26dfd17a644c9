import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/index.js';
import { LIB_ID } from '../src/version.js';
import { useIngestionServer } from './helpers/wire';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const wire = useIngestionServer();

describe('library labelling', () => {
  it('the exported VERSION equals the package.json version', () => {
    expect(VERSION).toBe(packageVersion);
    expect(LIB_ID).toBe('posthog-node-mcp');
  });

  it('MCP events are labelled posthog-node-mcp while host events in the same batch keep posthog-node', async () => {
    const client = wire.client();
    client.capture({ distinctId: 'host-user', event: 'host_before' });
    client.captureToolCall({ toolName: 'search', durationMs: 3 });
    client.captureToolCall({ toolName: 'search', error: new RangeError('out of range'), durationMs: 3 });
    client.capture({ distinctId: 'host-user', event: 'host_after', properties: { plan: 'pro' } });
    await client.shutdown();

    expect(wire.server.bodies).toHaveLength(1);
    const names = wire.server.events.map((event) => event.event).sort();
    expect(names).toEqual(['$exception', '$mcp_tool_call', '$mcp_tool_call', 'host_after', 'host_before']);
    for (const event of wire.server.events) {
      const isOurs = event.event.startsWith('$mcp_') || event.event === '$exception';
      expect(event.properties.$lib).toBe(isOurs ? 'posthog-node-mcp' : 'posthog-node');
      if (isOurs) expect(event.properties.$lib_version).toBe(packageVersion);
      else expect(event.properties.$lib_version).not.toBe(packageVersion);
    }
    expect(wire.server.eventsNamed('host_after')[0]?.properties.plan).toBe('pro');
  });

  it('a host captureException through the same client keeps posthog-node labelling', async () => {
    const client = wire.client();
    client.captureException(new Error('host failure'), 'host-user');
    client.captureToolCall({ toolName: 'search', error: new Error('tool failure') });
    await client.shutdown();

    const exceptions = wire.server.eventsNamed('$exception');
    expect(exceptions).toHaveLength(2);
    const host = exceptions.find((event) => event.properties.$mcp_tool_name === undefined);
    const ours = exceptions.find((event) => event.properties.$mcp_tool_name === 'search');
    expect(host?.properties.$lib).toBe('posthog-node');
    expect(ours?.properties.$lib).toBe('posthog-node-mcp');
  });

  it("a before_send that returns properties the host keeps: ours are relabelled on a copy, the host's object untouched", async () => {
    const kept: Record<string, unknown>[] = [];
    const client = wire.client({
      before_send: (event) => {
        if (!event) return event;
        const properties = { ...event.properties, reviewed: true };
        kept.push(properties);
        return { ...event, properties };
      },
    });
    client.captureToolCall({ toolName: 'search', durationMs: 3 });
    client.capture({ distinctId: 'host-user', event: 'host_event' });
    await client.shutdown();

    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties).toMatchObject({
      $lib: 'posthog-node-mcp',
      reviewed: true,
    });
    expect(wire.server.eventsNamed('host_event')[0]?.properties.$lib).toBe('posthog-node');
    expect(kept).toHaveLength(2);
    for (const properties of kept) expect(properties.$lib).not.toBe('posthog-node-mcp');
  });
});
