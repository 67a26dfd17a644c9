import type { PostHogMCP, ToolDescriptor } from '../../src/index.js';

/** The three ways a tool call reaches the package: the steps, `captureToolCall`, the router middleware. */
export type CallPath = 'steps' | 'finished' | 'router';

/** Every path, for `describe.each`. */
export const CALL_PATHS: readonly CallPath[] = ['steps', 'finished', 'router'];

/** One call: its tool, the arguments the client sent (injected ones included) and how it ended. */
export interface PathCall {
  name: string;
  args: Record<string, unknown>;
  session?: string;
  result?: unknown;
  error?: Error;
}

/** Arguments this package injects; the finished path states the tool's own arguments, without them. */
const INJECTED = ['context', 'llm_model', 'conversation_id'];

const ownArguments = (args: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(args).filter(([key]) => !INJECTED.includes(key)));

/**
 * A sender of calls through one path on one client. The router answers a call with its `result`, or with a
 * JSON-RPC internal error (-32603) carrying the `error`'s message.
 */
export function callsThrough(
  client: PostHogMCP,
  path: CallPath,
  tools: readonly ToolDescriptor[],
): (call: PathCall) => void {
  const byName = (name: string) => tools.find((tool) => tool.name === name);
  let pending: PathCall | undefined;
  let id = 0;
  const route = (message: unknown) => {
    const answer = pending;
    const rpcId = (message as { id: number }).id;
    if (answer?.error) {
      return { jsonrpc: '2.0', id: rpcId, error: { code: -32603, message: answer.error.message } };
    }
    return { jsonrpc: '2.0', id: rpcId, result: answer?.result ?? { content: [] } };
  };
  const handle = client.instrumentRouter(route, {
    tools: () => tools,
    session: (session: string | undefined) => session,
  });
  return (call) => {
    const session = call.session ?? 'session-1';
    if (path === 'router') {
      pending = call;
      id += 1;
      handle(
        { jsonrpc: '2.0', id, method: 'tools/call', params: { name: call.name, arguments: call.args } },
        session,
      );
      return;
    }
    const tool = byName(call.name);
    const outcome = call.error ? { error: call.error } : { result: call.result };
    if (path === 'steps') {
      client.completeToolCall(client.prepareToolCall(call.name, call.args, { tool, session }), outcome);
      return;
    }
    client.captureToolCall({
      toolName: call.name,
      ...(tool ? { tool } : {}),
      arguments: ownArguments(call.args),
      session,
      ...(call.error ? { error: call.error } : { response: call.result }),
    });
  };
}
