import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PostHogMCPOptions } from '../src/index';
import { useIngestionServer } from './helpers/wire';

/** `disabled`, `DO_NOT_TRACK` and `POSTHOG_MCP_DISABLED`: the package steps aside entirely. */

const wire = useIngestionServer();
const tool = { name: 'search', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };
const result = { content: [{ type: 'text', text: 'found' }] };

afterEach(() => {
  vi.unstubAllEnvs();
});

function fromEnv(name: string, value: string): () => Partial<PostHogMCPOptions> {
  return () => {
    vi.stubEnv(name, value);
    return {};
  };
}

const ways: [string, () => Partial<PostHogMCPOptions>][] = [
  ['the disabled option', () => ({ disabled: true })],
  ['DO_NOT_TRACK=1', fromEnv('DO_NOT_TRACK', '1')],
  ['DO_NOT_TRACK=true', fromEnv('DO_NOT_TRACK', 'true')],
  ['POSTHOG_MCP_DISABLED=1', fromEnv('POSTHOG_MCP_DISABLED', '1')],
];

describe.each(ways)('turned off by %s', (_label, setUp) => {
  it('injects nothing, advertises no virtual tool, leaves calls and results untouched and sends no MCP event', async () => {
    const lines: string[] = [];
    const client = wire.client({
      ...setUp(),
      reportMissing: true,
      collectFeedback: true,
      logger: (_level, message) => lines.push(message),
    });
    const listed = client.prepareToolList([tool]);
    expect(listed).toEqual([tool]);
    const args = { q: 'x', context: 'why', llm_model: 'm' };
    const call = client.prepareToolCall('search', args, { tool });
    expect(call.args).toBe(args);
    expect(client.completeToolCall(call, { result })).toBe(result);
    const route = (message: unknown) => ({ jsonrpc: '2.0', id: 1, result: { echoed: message } });
    expect(client.instrumentRouter(route)).toBe(route);
    client.captureToolCall({ toolName: 'search', durationMs: 3 });
    client.captureInitialize({ clientName: 'c' });
    client.captureMissingCapability({ context: 'export' });
    client.capture({ distinctId: 'host', event: 'host_event' });
    await client.shutdown();
    expect(wire.server.events.map((event) => event.event)).toEqual(['host_event']);
    expect(lines.filter((line) => line.includes('MCP analytics is off'))).toHaveLength(1);
  });
});

describe('left on', () => {
  it.each(['0', 'false', ''])('DO_NOT_TRACK=%j keeps analytics on', async (value) => {
    vi.stubEnv('DO_NOT_TRACK', value);
    const client = wire.client();
    expect(JSON.stringify(client.prepareToolList([tool]))).toContain('"context"');
    client.captureToolCall({ toolName: 'search' });
    await client.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(1);
  });

  it('a disabled option that is not a boolean is a TypeError naming it', () => {
    expect(() => wire.client({ disabled: 'yes' as never })).toThrow(/disabled/);
  });
});
