import { finishedRoute } from './finished-routes';
import { InFlightCalls } from './in-flight-calls';
import { type Awaitable, isPromiseLike, readCall } from './json-rpc';
import { createScope, type RequestScope, type RouterHost, type RouterState } from './request-scope';
import { type InstrumentRouterOptions, type Router, resolveRouterOptions } from './router-options';
import { cancelToolCall, routeToolCall } from './tool-call-route';

/** Handles one message of a router call; anything not instrumented goes to the host untouched. */
function dispatch<C>(state: RouterState<C>, scope: RequestScope<C>, message: unknown): Awaitable<unknown> {
  const rpc = readCall(message);
  if (rpc === undefined) return state.route(message, scope.context);
  if (rpc.method === 'notifications/cancelled') {
    cancelToolCall(state, scope, rpc.params);
    return state.route(message, scope.context);
  }
  if (rpc.id === undefined) return state.route(message, scope.context);
  if (rpc.method === 'tools/call') return routeToolCall(state, scope, { ...rpc, id: rpc.id });
  const route = finishedRoute<C>(rpc.method);
  return route ? route(state, scope, rpc) : state.route(message, scope.context);
}

/** The entries of a batch response: in request order, without the notifications' empty answers. */
function collect(responses: readonly unknown[]): unknown[] | undefined {
  const entries = responses.filter((response) => response !== undefined && response !== null);
  return entries.length > 0 ? entries : undefined;
}

/** A batch: each message dispatched on its own (concurrently when async), answers gathered in order. */
function routeBatch<C>(state: RouterState<C>, batch: readonly unknown[], context: C): Awaitable<unknown> {
  if (batch.length === 0) return state.route(batch, context);
  const scope = createScope(state, context);
  const responses = batch.map((message) => dispatch(state, scope, message));
  return responses.some(isPromiseLike) ? Promise.all(responses).then(collect) : collect(responses);
}

/**
 * Wraps a JSON-RPC router: the same signature, with every MCP method instrumented through the three steps.
 * A batch is split and each message handed to `route` on its own.
 */
export function instrumentRouter<C, R>(
  host: RouterHost,
  route: Router<C, R>,
  options: InstrumentRouterOptions<C> | undefined,
): Router<C, unknown> {
  const state: RouterState<C> = {
    host,
    route: route as Router<C, unknown>,
    options: resolveRouterOptions<C>(route, options),
    inFlight: new InFlightCalls(),
  };
  return (message, context) =>
    Array.isArray(message)
      ? routeBatch(state, message, context)
      : dispatch(state, createScope(state, context), message);
}
