import { describe, expect, it } from 'vitest';
import { useIngestionServer } from './helpers/wire';

/** `identify` is a host hook like `beforeSend`: past `hookTimeoutMs` the request goes on, anonymous. */

const wire = useIngestionServer();
const tool = { name: 'lookup', inputSchema: { type: 'object', properties: {} } };
const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'lookup', arguments: {} } };
const answer = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'ok' }] } };

describe('an identify hook that does not answer in time', () => {
  it.each([
    ['never settles', () => new Promise<never>(() => undefined)],
    [
      'is a thenable that never calls back',
      // biome-ignore lint/suspicious/noThenProperty: a thenable that never calls back is the case under test
      () => ({ then: () => undefined }) as unknown as Promise<never>,
    ],
    [
      'settles after the limit',
      () => new Promise((resolve) => setTimeout(() => resolve({ distinctId: 'late' }), 400)),
    ],
  ] as const)(
    'that %s: the host answers within the limit and the call is sent anonymous',
    async (_label, identify) => {
      const lines: string[] = [];
      const client = wire.client({ hookTimeoutMs: 100, logger: (_level, message) => lines.push(message) });
      const route = client.instrumentRouter(() => answer, {
        tools: () => [tool],
        session: () => 'mcp-session-1',
        identify: identify as never,
      });
      const started = performance.now();
      const response = await route(call, undefined);
      const waited = performance.now() - started;
      await client.shutdown();
      expect(response).toEqual(answer);
      expect(waited).toBeLessThan(2_000);
      const [event] = wire.server.eventsNamed('$mcp_tool_call');
      expect(event?.properties.$process_person_profile).toBe(false);
      expect(event?.distinct_id).toBe(event?.properties.$session_id);
      expect(lines.some((line) => line.includes('`identify` took over 100 ms'))).toBe(true);
    },
  );

  it('an identify that answers within the limit still identifies the call', async () => {
    const client = wire.client({ hookTimeoutMs: 1_000 });
    const identify = () =>
      new Promise<{ distinctId: string }>((resolve) => setTimeout(() => resolve({ distinctId: 'u-1' }), 10));
    const route = client.instrumentRouter(() => answer, { tools: () => [tool], identify });
    await route(call, undefined);
    await client.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.distinct_id).toBe('u-1');
  });
});
