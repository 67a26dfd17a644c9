import { describeError } from '../logger';
import { isPlainObject, readProperty } from '../safe-object';
import type { PreparedToolCall } from '../tools/call-state';
import { getMoreToolsResult, sendFeedbackResult } from '../tools/virtual-tools';
import type { JsonObject, ToolCallOutcome, ToolDescriptor } from '../types';
import {
  CancelledError,
  hasResult,
  JsonRpcError,
  type RequestId,
  type RpcCall,
  readError,
  successResponse,
  withResult,
} from './json-rpc';
import { type MessageStep, passThrough } from './message-step';
import { commonFields, type MessageContext, type RequestScope, type RouterState } from './request-scope';

/** JSON-RPC "method not found": some routers answer an unknown tool with it. */
const METHOD_NOT_FOUND = -32601;
/** JSON-RPC "invalid params": the MCP SDK answers an unknown tool with it, and invalid arguments too. */
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const UNKNOWN_TOOL_MESSAGE = /\b(unknown|not found|no such|does not exist|doesn't exist|not registered)\b/i;

interface ToolCallRequest {
  rpc: RpcCall & { id: RequestId };
  name: string;
  /** The registry's descriptor; `undefined` when the registry lacks it or there is no registry. */
  tool: ToolDescriptor | undefined;
  /** True when a registry answered that it has no such tool (a registry that threw knows nothing). */
  isAbsent: boolean;
}

/** Whether a host error response means "no such tool" rather than a failed call. */
function isUnknownToolError(error: { code: unknown; message: unknown }, known: boolean): boolean {
  if (known) return false;
  if (error.code === METHOD_NOT_FOUND) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return error.code === INVALID_PARAMS && /tool/i.test(message) && UNKNOWN_TOOL_MESSAGE.test(message);
}

function errorTypeOf(code: number | undefined): string | undefined {
  if (code === INVALID_PARAMS) return 'validation';
  if (code === INTERNAL_ERROR) return 'internal';
  return undefined;
}

/** The outcome of a call the host answered with a JSON-RPC error: its code and message, and a label when known. */
function failedByJsonRpc(error: { code: unknown; message: unknown }): ToolCallOutcome {
  const message = typeof error.message === 'string' ? error.message : undefined;
  if (typeof error.code !== 'number' || !Number.isInteger(error.code))
    return { error: new JsonRpcError(error) };
  const errorType = errorTypeOf(error.code);
  return {
    jsonRpcError: message === undefined ? { code: error.code } : { code: error.code, message },
    ...(errorType ? { errorType } : {}),
  };
}

function lookUp<C>(state: RouterState<C>, name: string): Pick<ToolCallRequest, 'tool' | 'isAbsent'> {
  const resolve = state.options.resolveTool;
  if (!resolve) return { tool: undefined, isAbsent: false };
  try {
    const tool = resolve(name);
    if (isPlainObject(tool)) return { tool: tool as ToolDescriptor, isAbsent: false };
    return { tool: undefined, isAbsent: !isVirtualName(state, name) };
  } catch (error) {
    state.host.logger.warn(`instrumentRouter: the tool registry threw: ${describeError(error)}`);
    return { tool: undefined, isAbsent: false };
  }
}

function isVirtualName<C>(state: RouterState<C>, name: string): boolean {
  return state.host.virtualToolNames.includes(name);
}

/** The call step, and the message for the host with the injected arguments stripped (a copy, when any). */
function prepare<C>(
  { state, scope, identity }: MessageContext<C>,
  request: ToolCallRequest,
): { call: PreparedToolCall; forwarded: unknown } {
  const { rpc, name, tool } = request;
  const args = readProperty(rpc.params, 'arguments');
  const meta = readProperty(rpc.params, '_meta');
  const call = state.host.client.prepareToolCall(name, args, {
    tool,
    exists: request.isAbsent ? false : undefined,
    meta: isPlainObject(meta) ? meta : undefined,
    headers: scope.headers(),
    session: scope.session(),
    identity: identity ?? null,
  });
  const stripped = isPlainObject(args) && call.args !== args;
  const forwarded = stripped
    ? { ...rpc.message, params: { ...rpc.params, arguments: call.args } }
    : rpc.message;
  return { call, forwarded };
}

/** A call under way: its message context, request, prepared call and in-flight key. */
interface CallUnderWay<C> {
  context: MessageContext<C>;
  request: ToolCallRequest;
  call: PreparedToolCall;
  key: string | undefined;
}

/** Completes the call from the host's response and returns the response to send. */
function finish<C>(done: CallUnderWay<C>, response: unknown): unknown {
  const { context, request } = done;
  const { state, scope } = context;
  const { client } = state.host;
  if (state.inFlight.end(done.key)) return response;
  try {
    const error = readError(response);
    if (error && isUnknownToolError(error, request.tool !== undefined)) {
      state.host.discardCall(done.call);
      const common = commonFields({ scope, identity: context.identity }, request.rpc, {
        timestamp: new Date(),
      });
      client.captureUnknownTool({ ...common, toolName: request.name });
      return response;
    }
    if (error) {
      client.completeToolCall(done.call, failedByJsonRpc(error));
      return response;
    }
    if (!hasResult(response)) {
      // No response to read (it goes out another way, e.g. an SSE stream): nothing is known about the outcome.
      state.host.discardCall(done.call);
      return response;
    }
    const delivered = client.completeToolCall(done.call, { result: response.result });
    return delivered === undefined || delivered === response.result
      ? response
      : withResult(response, delivered);
  } catch (error) {
    state.host.logger.error(`instrumentRouter: tools/call completion failed: ${describeError(error)}`);
    return response;
  }
}

/** The answer to a virtual tool: its acknowledgement (with a minted handle, when any) and its event. */
function answerVirtual<C>(state: RouterState<C>, rpc: RpcCall & { id: RequestId }, call: PreparedToolCall) {
  const result = state.host.client.completeToolCall(call);
  return successResponse(rpc.id, result ?? (call.isFeedback ? sendFeedbackResult() : getMoreToolsResult()));
}

function planPrepared<C>(
  context: MessageContext<C>,
  request: ToolCallRequest,
  prepared: { call: PreparedToolCall; forwarded: unknown },
): MessageStep {
  const { state, scope } = context;
  const { rpc } = request;
  const { call, forwarded } = prepared;
  if (call.isMissingCapability || call.isFeedback) {
    return { ...passThrough(rpc.message, rpc.id), answer: () => answerVirtual(state, rpc, call) };
  }
  const key = state.inFlight.begin(scope.session(), rpc.id, call);
  const done: CallUnderWay<C> = { context, request, call, key };
  return {
    forwarded,
    id: rpc.id,
    finish: (response) => finish(done, response),
    fail: (error) => {
      if (!state.inFlight.end(key)) state.host.client.completeToolCall(call, { error });
    },
    discard: () => {
      state.inFlight.end(key);
      state.host.discardCall(call);
    },
  };
}

/**
 * `tools/call`: the call step, then a step whose forwarded message has the injected arguments stripped (or, for
 * a virtual tool, the middleware's own answer) and whose finish is the result step.
 */
export function planToolCall<C>(context: MessageContext<C>, rpc: RpcCall & { id: RequestId }): MessageStep {
  const { state } = context;
  const name = readProperty(rpc.params, 'name');
  if (typeof name !== 'string') return passThrough(rpc.message, rpc.id);
  const request: ToolCallRequest = { rpc, name, ...lookUp(state, name) };
  let prepared: { call: PreparedToolCall; forwarded: unknown } | undefined;
  try {
    prepared = prepare(context, request);
  } catch (error) {
    state.host.logger.error(`instrumentRouter: tools/call preparation failed: ${describeError(error)}`);
  }
  if (!prepared || prepared.call.isUnknownTool) return passThrough(rpc.message, rpc.id);
  return planPrepared(context, request, prepared);
}

/** Marks the in-flight call a `notifications/cancelled` names as a failed call of type `cancelled`. */
export function cancelToolCall<C>(
  state: RouterState<C>,
  scope: RequestScope<C>,
  params: JsonObject | undefined,
): void {
  try {
    const call = state.inFlight.cancel(scope.session(), readProperty(params, 'requestId'));
    if (call) {
      const error = new CancelledError(readProperty(params, 'reason'));
      state.host.client.completeToolCall(call, { error, errorType: 'cancelled' });
    }
  } catch (error) {
    state.host.logger.error(`instrumentRouter: cancellation failed: ${describeError(error)}`);
  }
}
