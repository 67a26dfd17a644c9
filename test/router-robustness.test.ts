import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();
const divide = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'divide', arguments: { a: 1, b: 1 } },
});

describe('instrumentRouter robustness', () => {
  it('answers exactly as the bare router when every option function throws', async () => {
    const posthog = wire.client();
    const explode = () => {
      throw new Error('option failed');
    };
    const handle = posthog.instrumentRouter(route, {
      tools: explode,
      headers: explode,
      session: explode,
      identify: explode,
    });
    for (const message of [divide(1), { jsonrpc: '2.0', id: 2, method: 'tools/list' }]) {
      const response = handle(message, 0) as unknown as { result: { content?: unknown[] } };
      expect(response).toMatchObject({ jsonrpc: '2.0', id: message.id });
    }
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(1);
    expect(wire.server.eventsNamed('$mcp_tools_list')).toHaveLength(1);
  });

  it('sends no call event when the host answers a call with nothing (it replies another way)', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(() => undefined, { session: () => ({ connection: 'sse' }) });
    expect(handle(divide(1), 0)).toBeUndefined();
    await posthog.shutdown();
    expect(wire.server.events).toHaveLength(0);
  });

  it('passes a tools/call without a name, or sent as a notification, to the host untouched', async () => {
    const posthog = wire.client();
    const seen: unknown[] = [];
    const handle = posthog.instrumentRouter((message: unknown) => {
      seen.push(message);
      return route(message);
    });
    const nameless = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { arguments: { a: 1 } } };
    const notification = { jsonrpc: '2.0', method: 'tools/call', params: { name: 'divide', arguments: {} } };
    handle(nameless, 0);
    expect(handle(notification, 0)).toBeUndefined();
    expect(seen[0]).toBe(nameless);
    expect(seen[1]).toBe(notification);
    await posthog.shutdown();
    expect(wire.server.events).toHaveLength(0);
  });

  it('passes a message whose properties throw to the host, which decides', async () => {
    const posthog = wire.client();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const handle = posthog.instrumentRouter((message: unknown) => (message === hostile ? 'seen' : 'other'));
    expect(handle(hostile, 0)).toBe('seen');
    await posthog.shutdown();
  });

  it('records an error response to resources/read and prompts/get as a failure, and returns it unchanged', async () => {
    const posthog = wire.client();
    const error = { code: -32002, message: 'Resource not found' };
    const handle = posthog.instrumentRouter((message: unknown) => ({
      jsonrpc: '2.0',
      id: (message as { id: number }).id,
      error,
    }));
    const read = { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'docs://missing' } };
    expect(handle(read, 0)).toEqual({ jsonrpc: '2.0', id: 1, error });
    handle({ jsonrpc: '2.0', id: 2, method: 'prompts/get', params: { name: 'absent' } }, 0);
    await posthog.shutdown();
    const [event] = wire.server.eventsNamed('$mcp_resource_read');
    expect(event?.properties).toMatchObject({
      $mcp_resource_name: 'docs://missing',
      $mcp_is_error: true,
      $mcp_error_message: 'Resource not found',
    });
    expect(wire.server.eventsNamed('$mcp_prompt_get')[0]?.properties.$mcp_is_error).toBe(true);
  });

  it('keeps the registry lookup in step with a registry that changes', async () => {
    const posthog = wire.client();
    let tools = TOOLS.slice(0, 1);
    const handle = posthog.instrumentRouter(route, { tools: () => tools });
    handle(divide(1), 0);
    tools = [...TOOLS];
    handle(divide(2), 0);
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_unknown_tool')).toHaveLength(1);
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(1);
  });
});
