import { describe, expect, it } from 'vitest';
import type { ToolCallOutcome, ToolDescriptor } from '../src/index';
import { useIngestionServer } from './helpers/wire';

/** `$mcp_error_origin` and `$mcp_jsonrpc_error_code`: whose fault a failure was, on every path. */

const wire = useIngestionServer();
const tool: ToolDescriptor = { name: 'lookup', inputSchema: { type: 'object', properties: {} } };

const CODES = [
  [-32700, 'caller'],
  [-32600, 'caller'],
  [-32601, 'caller'],
  [-32602, 'caller'],
  [-32001, 'caller'],
  [-32003, 'caller'],
  [-32004, 'caller'],
  [-32603, 'server'],
  [-32000, 'server'],
  [-32050, 'server'],
  [-32099, 'server'],
] as const;

async function toolCalls(client: { shutdown(): Promise<void> }) {
  await client.shutdown();
  return wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
}

describe('a JSON-RPC error answer is a failed call whose code decides the origin', () => {
  it.each(CODES)('code %i is the %s’s', async (code, origin) => {
    const client = wire.client();
    const call = client.prepareToolCall('lookup', {}, { tool });
    client.completeToolCall(call, { jsonRpcError: { code, message: `failed with ${code}` } });
    client.captureToolCall({
      toolName: 'lookup',
      tool,
      jsonRpcError: { code, message: `failed with ${code}` },
    });
    const events = await toolCalls(client);
    expect(events).toHaveLength(2);
    for (const properties of events) {
      expect(properties).toMatchObject({
        $mcp_is_error: true,
        $mcp_error_origin: origin,
        $mcp_jsonrpc_error_code: code,
        $mcp_error_message: `failed with ${code}`,
      });
    }
  });

  it('a code that is not an integer is ignored rather than trusted', async () => {
    const client = wire.client();
    for (const code of [1.5, Number.NaN, '-32602', null]) {
      client.captureToolCall({ toolName: 'lookup', jsonRpcError: { code } as never });
    }
    const events = await toolCalls(client);
    expect(events.map((p) => p.$mcp_jsonrpc_error_code)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(events.map((p) => p.$mcp_is_error)).toEqual([false, false, false, false]);
  });
});

describe('failures without a JSON-RPC error', () => {
  it('a throw and an isError result are the tool’s; a cancellation is the caller’s; success has no origin', async () => {
    const client = wire.client();
    const failures: ToolCallOutcome[] = [
      { error: new Error('boom') },
      { result: { isError: true, content: [{ type: 'text', text: 'nope' }] } },
      { result: { content: [{ type: 'text', text: 'ok' }] } },
    ];
    for (const outcome of failures)
      client.completeToolCall(client.prepareToolCall('lookup', {}, { tool }), outcome);
    const task = client.prepareToolCall('lookup', {}, { tool });
    client.completeToolCall(task, { result: { resultType: 'task', task: { taskId: 't1' } } });
    client.completeToolCall(task, { status: 'cancelled' });
    const events = await toolCalls(client);
    expect(events.map((p) => p.$mcp_error_origin)).toEqual(['tool', 'tool', undefined, 'caller']);
    expect(events.every((p) => p.$mcp_jsonrpc_error_code === undefined)).toBe(true);
  });

  it('an unknown tool is the caller’s, from the step and from captureUnknownTool', async () => {
    const client = wire.client();
    client.prepareToolCall('delete_everything', {}, { exists: false });
    client.captureUnknownTool({ toolName: 'drop_tables' });
    await client.shutdown();
    const unknown = wire.server.eventsNamed('$mcp_unknown_tool').map((event) => event.properties);
    expect(unknown.map((p) => p.$mcp_error_origin)).toEqual(['caller', 'caller']);
  });
});

describe('the router middleware fills the code from the host’s error response', () => {
  it.each([
    [-32602, 'caller', 'validation'],
    [-32603, 'server', 'internal'],
    [-32042, 'server', 'JsonRpcError'],
  ] as const)('an error response %i is a %s failure typed %s', async (code, origin, type) => {
    const client = wire.client();
    const route = (message: unknown) => ({
      jsonrpc: '2.0',
      id: (message as { id: number }).id,
      error: { code, message: 'the host refused' },
    });
    const handle = client.instrumentRouter(route, { tools: () => [tool] });
    handle(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'lookup', arguments: {} } },
      undefined,
    );
    const [properties] = await toolCalls(client);
    expect(properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_origin: origin,
      $mcp_jsonrpc_error_code: code,
      $mcp_error_type: type,
      $mcp_error_message: 'the host refused',
    });
  });
});

describe('the router middleware: unknown tools, host errors, throws and cancellations', () => {
  const answer = (message: unknown, error: { code: number; message: string }) => ({
    jsonrpc: '2.0',
    id: (message as { id: number }).id,
    error,
  });
  const callOf = (id: number, name: string) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: {} },
  });

  it('an unknown tool is the caller’s, whether the registry or the host says so', async () => {
    const client = wire.client();
    const withRegistry = client.instrumentRouter(() => ({ jsonrpc: '2.0', id: 1, result: {} }), {
      tools: () => [tool],
    });
    withRegistry(callOf(1, 'drop_tables'), undefined);
    const hostOnly = client.instrumentRouter((message: unknown) => {
      const id = (message as { id: number }).id;
      return id === 2
        ? answer(message, { code: -32601, message: 'Method not found' })
        : answer(message, { code: -32602, message: 'Unknown tool: purge' });
    });
    hostOnly(callOf(2, 'wipe'), undefined);
    hostOnly(callOf(3, 'purge'), undefined);
    await client.shutdown();
    const unknown = wire.server.eventsNamed('$mcp_unknown_tool').map((event) => event.properties);
    expect(unknown.map((p) => [p.$mcp_tool_name, p.$mcp_error_origin])).toEqual([
      ['drop_tables', 'caller'],
      ['wipe', 'caller'],
      ['purge', 'caller'],
    ]);
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(0);
  });

  it('invalid params on a known tool are the caller’s; a host error is the server’s; a throw is the tool’s', async () => {
    const client = wire.client();
    const errors: Record<number, { code: number; message: string }> = {
      1: { code: -32602, message: 'limit must be a number' },
      2: { code: -32603, message: 'database unreachable' },
      3: { code: -32000, message: 'upstream timeout' },
    };
    const handle = client.instrumentRouter(
      (message: unknown) => {
        const id = (message as { id: number }).id;
        const error = errors[id];
        if (!error) throw new Error('handler crashed');
        return answer(message, error);
      },
      { tools: () => [tool] },
    );
    for (const id of [1, 2, 3]) handle(callOf(id, 'lookup'), undefined);
    expect(() => handle(callOf(4, 'lookup'), undefined)).toThrow('handler crashed');
    const events = await toolCalls(client);
    expect(events.map((p) => [p.$mcp_error_origin, p.$mcp_jsonrpc_error_code])).toEqual([
      ['caller', -32602],
      ['server', -32603],
      ['server', -32000],
      ['tool', undefined],
    ]);
  });

  it('a call the client cancels is the caller’s, not the tool’s', async () => {
    const client = wire.client();
    let release: () => void = () => undefined;
    const handle = client.instrumentRouter(
      (message: unknown) => {
        const { id, method } = message as { id: number; method: string };
        if (method !== 'tools/call') return undefined;
        return new Promise((resolve) => {
          release = () => resolve({ jsonrpc: '2.0', id, result: { content: [] } });
        });
      },
      { tools: () => [tool], session: () => ({ connection: 'stdio' }) },
    );
    const pending = handle(callOf(7, 'lookup'), undefined);
    handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } }, undefined);
    release();
    await pending;
    const [properties] = await toolCalls(client);
    expect(properties).toMatchObject({ $mcp_error_type: 'cancelled', $mcp_error_origin: 'caller' });
  });
});

describe('a cancellation is the caller’s', () => {
  it('a notifications/cancelled through the router makes a failed call of origin caller', async () => {
    const client = wire.client();
    let release: (value: unknown) => void = () => undefined;
    const handle = client.instrumentRouter(
      (message: unknown) => {
        const { id, method } = message as { id?: number; method: string };
        if (method !== 'tools/call') return undefined;
        return new Promise((resolve) => {
          release = () => resolve({ jsonrpc: '2.0', id, result: { content: [] } });
        });
      },
      { tools: () => [tool], session: () => 'mcp-session-1' },
    );
    const pending = handle(
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'lookup', arguments: {} } },
      undefined,
    );
    await handle(
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 7, reason: 'user hit stop' },
      },
      undefined,
    );
    release(undefined);
    await pending;
    const [properties] = await toolCalls(client);
    expect(properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'cancelled',
      $mcp_error_origin: 'caller',
    });
  });
});
