import { routeBatch } from './batch-route';
import { planFinishedRoute } from './finished-routes';
import { InFlightCalls } from './in-flight-calls';
import { type Awaitable, isArray, readCall } from './json-rpc';
import { type MessageStep, passThrough, runStep } from './message-step';
import {
  createScope,
  type MessageContext,
  type RequestScope,
  type RouterHost,
  type RouterState,
  withIdentity,
} from './request-scope';
import { type InstrumentRouterOptions, type Router, resolveRouterOptions } from './router-options';
import { cancelToolCall, planToolCall } from './tool-call-route';

/**
 * The step of one message. Anything that is not a JSON-RPC 2.0 request the middleware instruments is handed
 * over as the very same object. `identity` is only read for `tools/call`, which needs it before the host runs.
 */
export function planMessage<C>(context: MessageContext<C>, message: unknown): MessageStep {
  const { state, scope } = context;
  const rpc = readCall(message);
  if (rpc === undefined) return passThrough(message);
  if (rpc.method === 'notifications/cancelled') cancelToolCall(state, scope, rpc.params);
  if (rpc.id === undefined) return passThrough(message);
  const request = { ...rpc, id: rpc.id };
  if (rpc.method === 'tools/call') return planToolCall(context, request);
  return planFinishedRoute(state, scope, request) ?? passThrough(message, rpc.id);
}

/** Handles one message: a `tools/call` waits for the identity first, everything else starts at once. */
function dispatch<C>(state: RouterState<C>, scope: RequestScope<C>, message: unknown): Awaitable<unknown> {
  const rpc = readCall(message);
  if (rpc?.method === 'tools/call' && rpc.id !== undefined) {
    return withIdentity(scope, (identity) =>
      runStep(state, scope, planMessage({ state, scope, identity }, message)),
    );
  }
  return runStep(state, scope, planMessage({ state, scope, identity: undefined }, message));
}

/**
 * Wraps a JSON-RPC router: the same signature, with every MCP method instrumented through the three steps.
 * A batch reaches `route` as a batch; see {@link routeBatch}.
 */
export function instrumentRouter<M, C, R>(
  host: RouterHost,
  route: Router<C, R, M>,
  options: InstrumentRouterOptions<C> | undefined,
): Router<C, unknown, M> {
  const state: RouterState<C> = {
    host,
    route: route as Router<C, unknown, unknown>,
    options: resolveRouterOptions<C>(route, options),
    inFlight: new InFlightCalls(),
  };
  return (message, context) =>
    isArray(message)
      ? routeBatch(state, { messages: message, context }, planMessage)
      : dispatch(state, createScope(state, context), message);
}
