import type {
  CaptureCommon,
  InitializeCaptureData,
  ListingCaptureData,
  ResourceCaptureData,
  ToolsListCaptureData,
  UnknownToolCaptureData,
} from '../capture-data';
import { describeError, type Logger } from '../logger';
import { normalizeIdentity } from '../request/identity';
import { isPlainObject, readProperty } from '../safe-object';
import { settleHook } from '../settle-hook';
import type { PreparedToolCall, PrepareToolCallOptions } from '../tools/call-state';
import type { HeadersLike, Identity, JsonObject, ToolCallOutcome, TransportSession } from '../types';
import type { InFlightCalls } from './in-flight-calls';
import { type Awaitable, andThen, isPromiseLike, type RpcCall } from './json-rpc';
import type { ResolvedRouterOptions, Router } from './router-options';

/** The public client methods the router middleware drives, declared here so the router never imports the client. */
export interface RouterClient {
  prepareToolList<T>(
    tools: readonly T[],
    options?: { reportMissing?: boolean; collectFeedback?: boolean },
  ): T[];
  prepareToolCall(name: string, args?: unknown, options?: PrepareToolCallOptions): PreparedToolCall;
  completeToolCall<R = unknown>(
    call: PreparedToolCall,
    outcome?: ToolCallOutcome & { result?: R },
  ): R | undefined;
  captureInitialize(data: InitializeCaptureData): void;
  captureToolsList(data: ToolsListCaptureData): void;
  captureUnknownTool(data: UnknownToolCaptureData): void;
  captureResourceRead(data: ResourceCaptureData): void;
  captureResourcesList(data: ListingCaptureData): void;
  capturePromptGet(data: ResourceCaptureData): void;
  capturePromptsList(data: ListingCaptureData): void;
}

/** What the router middleware needs: the client's public methods, its logger, and a way to discard a call. */
export interface RouterHost {
  client: RouterClient;
  logger: Logger;
  /** The virtual tool names (missing capability, feedback), `undefined` where disabled. */
  virtualToolNames: readonly (string | undefined)[];
  /** How long `identify` may take before the request goes on as anonymous, in milliseconds. */
  hookTimeoutMs: number;
  /** Forgets a prepared call that will never complete (the host said the tool does not exist). */
  discardCall(call: PreparedToolCall): void;
}

/** One instrumented router: the host's route, its options and its in-flight calls. */
export interface RouterState<C> {
  host: RouterHost;
  route: Router<C, unknown>;
  options: ResolvedRouterOptions<C>;
  inFlight: InFlightCalls;
}

const UNREAD: unique symbol = Symbol('unread');

/** Calls one of the host's option functions; a throw is logged and read as "not given". */
function ask<C, T>(state: RouterState<C>, name: string, read: (() => T) | undefined): T | undefined {
  if (!read) return undefined;
  try {
    return read();
  } catch (error) {
    state.host.logger.warn(`instrumentRouter: \`${name}\` threw: ${describeError(error)}`);
    return undefined;
  }
}

function resolveIdentity<C>(state: RouterState<C>, context: C): Awaitable<Identity | undefined> {
  const identify = state.options.identify;
  const found = ask(state, 'identify', identify && (() => identify(context)));
  if (!isPromiseLike(found)) return normalizeIdentity(found);
  // A host hook like `beforeSend`: one that never settles must not hold the host's own answer.
  return settleHook(found, state.host.hookTimeoutMs).then((outcome) => {
    if (outcome.status === 'value') return normalizeIdentity(outcome.value);
    const why =
      outcome.status === 'timeout'
        ? `took over ${state.host.hookTimeoutMs} ms`
        : `rejected: ${describeError(outcome.error)}`;
    state.host.logger.warn(`instrumentRouter: \`identify\` ${why}; the request is anonymous`);
    return undefined;
  });
}

/**
 * What one call of the wrapped router shares across its messages (a batch shares one scope). Nothing is read
 * from the context until a message needs it, and the identity is never shared with another router call.
 */
export class RequestScope<C> {
  readonly context: C;
  readonly #state: RouterState<C>;
  #headers: HeadersLike | undefined | typeof UNREAD = UNREAD;
  #session: TransportSession | undefined | typeof UNREAD = UNREAD;
  #identity: Awaitable<Identity | undefined> | typeof UNREAD = UNREAD;

  /** Creates the scope of one router call. */
  constructor(state: RouterState<C>, context: C) {
    this.#state = state;
    this.context = context;
  }

  /** The request's headers, from the `headers` option. */
  headers(): HeadersLike | undefined {
    if (this.#headers === UNREAD) {
      const read = this.#state.options.headers;
      this.#headers = ask(this.#state, 'headers', read && (() => read(this.context)));
    }
    return this.#headers;
  }

  /** The transport session, from the `session` option. */
  session(): TransportSession | undefined {
    if (this.#session === UNREAD) {
      const read = this.#state.options.session;
      this.#session = ask(this.#state, 'session', read && (() => read(this.context)));
    }
    return this.#session;
  }

  /** The identity, from the `identify` option, resolved on first use. */
  identity(): Awaitable<Identity | undefined> {
    if (this.#identity === UNREAD) this.#identity = resolveIdentity(this.#state, this.context);
    return this.#identity;
  }
}

/** What one message's handling shares: the router, the router call's scope, and the identity once resolved. */
export interface MessageContext<C> {
  state: RouterState<C>;
  scope: RequestScope<C>;
  identity: Identity | undefined;
}

/** Creates the scope of one router call. */
export function createScope<C>(state: RouterState<C>, context: C): RequestScope<C> {
  return new RequestScope(state, context);
}

/** Runs `next` with the scope's identity: synchronously unless `identify` returned a promise. */
export function withIdentity<C, U>(
  scope: RequestScope<C>,
  next: (identity: Identity | undefined) => Awaitable<U>,
): Awaitable<U> {
  return andThen(scope.identity(), next);
}

/** The capture fields every finished-call event of a message shares. */
export function commonFields<C>(
  request: { scope: RequestScope<C>; identity: Identity | undefined },
  rpc: RpcCall,
  timing: { timestamp: Date; durationMs?: number },
): CaptureCommon & { durationMs?: number } {
  const { scope, identity } = request;
  const fields: CaptureCommon & { durationMs?: number } = { timestamp: timing.timestamp };
  if (timing.durationMs !== undefined) fields.durationMs = timing.durationMs;
  const session = scope.session();
  if (session !== undefined) fields.session = session;
  const headers = scope.headers();
  if (headers !== undefined) fields.headers = headers;
  if (identity !== undefined) fields.identity = identity;
  const meta = readProperty(rpc.params, '_meta');
  if (isPlainObject(meta)) fields.meta = meta as JsonObject;
  return fields;
}

/** The start of a message's handling: its wall-clock timestamp and a monotonic reading for the duration. */
export interface Timer {
  timestamp: Date;
  elapsedMs(): number;
}

/** Starts timing a message with the client's monotonic clock. */
export function startTimer(): Timer {
  const started = performance.now();
  return {
    timestamp: new Date(),
    elapsedMs: () => {
      const ms = performance.now() - started;
      return Number.isFinite(ms) && ms > 0 ? Math.round(ms * 1000) / 1000 : 0;
    },
  };
}
