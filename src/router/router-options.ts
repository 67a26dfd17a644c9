import type { HeadersLike, Identity, MaybePromise, ToolDescriptor, TransportSession } from '../types';

/**
 * A host's JSON-RPC dispatcher: takes a message (or a batch, as an array) and its request context, and returns
 * the full JSON-RPC response (`{ jsonrpc, id, result | error }`), an array of them for a batch, or `undefined`
 * for a notification. `M` is the message type the host declares; the middleware hands it the caller's message,
 * or a copy of the same shape without the injected arguments.
 */
export type Router<C = unknown, R = unknown, M = unknown> = (message: M, context: C) => R;

/** Options of `instrumentRouter`; every function receives the `context` the router was called with. */
export interface InstrumentRouterOptions<C = unknown> {
  /**
   * The tool registry as the host advertises it (before injection): existence, ownership of injected
   * arguments, description and `_meta.category`. A name it lacks is an unknown tool. Called per `tools/call`;
   * returning the same array each time lets the lookup table be reused.
   */
  tools?: () => readonly ToolDescriptor[];
  /** The registry as a lookup by name; `undefined` means no such tool. Wins over `tools`. */
  resolveTool?: (name: string) => ToolDescriptor | undefined;
  /**
   * The person behind this request, resolved once per router call (a batch shares it) and never cached across
   * calls. Returning a promise makes the wrapped router return a promise. A throw, a rejection or no answer
   * within `hookTimeoutMs` means anonymous.
   */
  identify?: (context: C) => MaybePromise<Identity | null | undefined>;
  /** The request's HTTP headers (client identity, `User-Agent`, `MCP-Protocol-Version`). */
  headers?: (context: C) => HeadersLike | undefined;
  /**
   * The transport session: a string id (`Mcp-Session-Id`, a replayed session token) or `{ connection }` for a
   * one-client connection such as stdio. Also scopes `notifications/cancelled` to the right client.
   */
  session?: (context: C) => TransportSession | undefined;
  /**
   * Mint a session token at `initialize` for a legacy stateless HTTP server, when the request has no session
   * and is not a `2026-07-28` request. Needs `onSessionToken`.
   * @default false
   */
  mintSessionToken?: boolean | ((context: C) => boolean);
  /**
   * Receives a minted token before the `initialize` response is returned, so the host can send it as the
   * `Mcp-Session-Id` response header; the client then replays it on every request.
   */
  onSessionToken?: (token: string, context: C) => void;
}

/** The options after validation. */
export interface ResolvedRouterOptions<C> {
  resolveTool: ((name: string) => ToolDescriptor | undefined) | undefined;
  identify: InstrumentRouterOptions<C>['identify'];
  headers: InstrumentRouterOptions<C>['headers'];
  session: InstrumentRouterOptions<C>['session'];
  mintSessionToken: ((context: C) => boolean) | undefined;
  onSessionToken: InstrumentRouterOptions<C>['onSessionToken'];
}

function fail(option: string, problem: string): never {
  throw new TypeError(`instrumentRouter: option \`${option}\` ${problem}`);
}

function optionalFunction<F>(value: unknown, option: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(option, 'must be a function');
  return value as F;
}

/** A by-name lookup over `tools()`, rebuilt only when `tools()` returns a different array. */
function registryLookup(
  tools: () => readonly ToolDescriptor[],
): (name: string) => ToolDescriptor | undefined {
  let source: readonly ToolDescriptor[] | undefined;
  let byName = new Map<string, ToolDescriptor>();
  return (name) => {
    const current = tools();
    if (current !== source) {
      source = current;
      byName = new Map();
      for (const tool of Array.isArray(current) ? current : []) {
        if (typeof tool?.name === 'string' && !byName.has(tool.name)) byName.set(tool.name, tool);
      }
    }
    return byName.get(name);
  };
}

/** Validates the options (a `TypeError` names the option) and normalizes the registry to a lookup. */
export function resolveRouterOptions<C>(route: unknown, options: unknown): ResolvedRouterOptions<C> {
  if (typeof route !== 'function') fail('route', 'must be a function');
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    fail('options', 'must be an object');
  }
  const o = (options ?? {}) as InstrumentRouterOptions<C>;
  const tools = optionalFunction<() => readonly ToolDescriptor[]>(o.tools, 'tools');
  const resolveTool = optionalFunction<(name: string) => ToolDescriptor | undefined>(
    o.resolveTool,
    'resolveTool',
  );
  const mint = o.mintSessionToken;
  if (mint !== undefined && typeof mint !== 'boolean' && typeof mint !== 'function') {
    fail('mintSessionToken', 'must be a boolean or a function');
  }
  const onSessionToken = optionalFunction<InstrumentRouterOptions<C>['onSessionToken']>(
    o.onSessionToken,
    'onSessionToken',
  );
  if (mint !== undefined && mint !== false && !onSessionToken) {
    fail('onSessionToken', 'is required when `mintSessionToken` is set, to hand the token to the transport');
  }
  return {
    resolveTool: resolveTool ?? (tools ? registryLookup(tools) : undefined),
    identify: optionalFunction(o.identify, 'identify'),
    headers: optionalFunction(o.headers, 'headers'),
    session: optionalFunction(o.session, 'session'),
    mintSessionToken: typeof mint === 'function' ? mint : mint === true ? () => true : undefined,
    onSessionToken,
  };
}
