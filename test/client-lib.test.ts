import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostHogMCP, VERSION } from '../src/index.js';
import { LIB_ID } from '../src/version.js';
import {
  createTestClientOptions,
  type IngestionServer,
  startIngestionServer,
} from './helpers/ingestion-server.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

let server: IngestionServer;

beforeEach(async () => {
  server = await startIngestionServer();
});

afterEach(async () => {
  await server.close();
});

describe('library labelling', () => {
  it('the exported VERSION equals the package.json version', () => {
    expect(VERSION).toBe(packageVersion);
    expect(LIB_ID).toBe('posthog-node-mcp');
  });

  it('MCP events are labelled posthog-node-mcp while host events in the same batch keep posthog-node', async () => {
    const client = new PostHogMCP('phc_test', createTestClientOptions(server));
    client.capture({ distinctId: 'host-user', event: 'host_before' });
    client.captureToolCall({ toolName: 'search', durationMs: 3 });
    client.captureToolCall({ toolName: 'search', error: new RangeError('out of range'), durationMs: 3 });
    client.capture({ distinctId: 'host-user', event: 'host_after', properties: { plan: 'pro' } });
    await client.shutdown();

    expect(server.bodies).toHaveLength(1);
    const names = server.events.map((event) => event.event).sort();
    expect(names).toEqual(['$exception', '$mcp_tool_call', '$mcp_tool_call', 'host_after', 'host_before']);
    for (const event of server.events) {
      const isOurs = event.event.startsWith('$mcp_') || event.event === '$exception';
      expect(event.properties.$lib).toBe(isOurs ? 'posthog-node-mcp' : 'posthog-node');
      if (isOurs) expect(event.properties.$lib_version).toBe(packageVersion);
      else expect(event.properties.$lib_version).not.toBe(packageVersion);
    }
    expect(server.eventsNamed('host_after')[0]?.properties.plan).toBe('pro');
  });

  it('a host captureException through the same client keeps posthog-node labelling', async () => {
    const client = new PostHogMCP('phc_test', createTestClientOptions(server));
    client.captureException(new Error('host failure'), 'host-user');
    client.captureToolCall({ toolName: 'search', error: new Error('tool failure') });
    await client.shutdown();

    const exceptions = server.eventsNamed('$exception');
    expect(exceptions).toHaveLength(2);
    const host = exceptions.find((event) => event.properties.$mcp_tool_name === undefined);
    const ours = exceptions.find((event) => event.properties.$mcp_tool_name === 'search');
    expect(host?.properties.$lib).toBe('posthog-node');
    expect(ours?.properties.$lib).toBe('posthog-node-mcp');
  });
});
