import { PostHog, type PostHogOptions } from 'posthog-node';
import { DiagnosticsRecorder, type MCPDiagnostics } from './diagnostics';
import { type EventDraft, MCPEmitter } from './emitter';
import { EVENT, PROP } from './events';
import * as finished from './finished-calls';
import { describeError } from './logger';
import { LruMap } from './lru-map';
import { type ResolvedOptions, resolveOptions } from './options';
import { type ExceptionListCache, exceptionProperties, MAX_CACHED_EXCEPTIONS } from './pipeline/exception';
import { instrumentRouter } from './router/instrument-router';
import type { InstrumentRouterOptions, Router } from './router/router-options';
import { copyMembers } from './safe-object';
import { ConnectionSessions } from './session/connection-sessions';
import { waitAtMost } from './settle-hook';
import type { CallState, PreparedToolCall, PrepareToolCallOptions } from './tools/call-state';
import { type CallStepHost, prepareCall } from './tools/call-step';
import { completeCall, type ResultStepHost } from './tools/result-step';
import { type PrepareToolListOptions, ToolCatalog } from './tools/tool-catalog';
import type {
  FeedbackCaptureData,
  Identity,
  InitializeCaptureData,
  InputRequiredCaptureData,
  JsonObject,
  ListingCaptureData,
  MCPEvent,
  MCPOptions,
  MissingCapabilityCaptureData,
  ResourceCaptureData,
  ToolCallCaptureData,
  ToolCallOutcome,
  ToolsListCaptureData,
  UnknownToolCaptureData,
} from './types';
import { LIB_ID, VERSION } from './version';

/** A JSON value as posthog-node types event messages. */
export type WireJson = string | number | boolean | null | { [key: string]: WireJson } | WireJson[];

/** An event message as posthog-node hands it to `processBeforeEnqueue`. */
export type WireMessage = { [key: string]: WireJson };

/** Options of `PostHogMCP`: every posthog-node option plus the MCP options. */
export type PostHogMCPOptions = PostHogOptions & MCPOptions;

/** How much longer than one hook's time limit `flush()` and `shutdown()` wait for MCP events. */
const FLUSH_MARGIN_MS = 1_000;

/** The longest delay a Node timer honours; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A usable shutdown budget: posthog-node's default for a non-number, clamped to what a timer can wait. */
function shutdownBudget(timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) return 30_000;
  return Math.min(Math.max(0, timeoutMs), MAX_TIMER_MS);
}

/** Most of our own event uuids awaiting relabelling; a bound for events a host `before_send` dropped. */
const MAX_OWN_UUIDS = 10_000;

const MCP_OPTION_KEYS: readonly (keyof MCPOptions)[] = [
  'serverName',
  'serverVersion',
  'serverBuild',
  'context',
  'captureModel',
  'conversationAnchoring',
  'intentFallback',
  'captureParameters',
  'captureResponse',
  'mcpExceptionAutocapture',
  'beforeSend',
  'reportMissing',
  'missingCapabilityToolName',
  'collectFeedback',
  'inputAliases',
  'logger',
  'clock',
  'hookTimeoutMs',
];

function posthogOptions(options: PostHogMCPOptions | undefined): PostHogOptions {
  const copy: Record<string, unknown> = { ...options };
  for (const key of MCP_OPTION_KEYS) delete copy[key];
  return copy as PostHogOptions;
}

/**
 * A posthog-node client with MCP analytics: a drop-in replacement for `PostHog` whose list, call and result
 * steps (and finished-call methods) send `$mcp_*` events through the inherited `capture()`.
 */
export class PostHogMCP extends PostHog {
  readonly #options: ResolvedOptions;
  readonly #catalog: ToolCatalog;
  readonly #connections: ConnectionSessions;
  readonly #emitter: MCPEmitter;
  readonly #calls = new WeakMap<PreparedToolCall, CallState>();
  readonly #ownUuids = new Set<string>();
  readonly #exceptionLists: ExceptionListCache = new LruMap(MAX_CACHED_EXCEPTIONS);
  readonly #diagnostics = new DiagnosticsRecorder();
  /** What the call, result and finished-call steps share; built once, not per request. */
  readonly #steps: CallStepHost & ResultStepHost;
  /** How many `shutdown()` calls are in posthog-node's part, whose internal `flush()` must not wait for MCP work. */
  #shutdowns = 0;

  constructor(apiKey: string, options?: PostHogMCPOptions) {
    const resolved = resolveOptions(options);
    super(apiKey, posthogOptions(options));
    this.#options = resolved;
    this.#catalog = new ToolCatalog(resolved);
    this.#connections = new ConnectionSessions({ now: resolved.clock });
    const waitUntil = options?.waitUntil;
    this.#emitter = new MCPEmitter({
      options: resolved,
      send: (event) => this.#send(event),
      exceptionProperties: (error, synthetic, message) =>
        exceptionProperties(
          this.getErrorPropertiesBuilder(),
          error,
          synthetic,
          message,
          this.#exceptionLists,
        ),
      observe: (draft, properties) => this.#diagnostics.record(draft, properties),
      register: (work) => {
        // Not added to posthog-node's pending promises: its flush and shutdown would wait on host hooks.
        if (!waitUntil) return;
        try {
          waitUntil(work.then(() => this.flush()).catch(() => undefined));
        } catch {
          // A failing waitUntil must not reach the host.
        }
      },
    });
    this.#steps = {
      options: resolved,
      catalog: this.#catalog,
      connections: this.#connections,
      emitter: this.#emitter,
    };
  }

  /** Decorates a `tools/list` page: injected arguments on each tool, virtual tools appended. The input is not mutated. */
  prepareToolList<T>(tools: readonly T[], options?: PrepareToolListOptions): T[] {
    try {
      return this.#catalog.prepare(Array.isArray(tools) ? tools : [], options ?? {});
    } catch (error) {
      this.#options.log.error(`prepareToolList failed: ${describeError(error)}`);
      try {
        return Array.isArray(tools) ? [...tools] : [];
      } catch {
        // A revoked or throwing proxy cannot even be copied.
        return [];
      }
    }
  }

  /** Reads a `tools/call` before dispatch: strips injected arguments and resolves intent, model and session. */
  prepareToolCall(name: string, args?: unknown, options?: PrepareToolCallOptions): PreparedToolCall {
    try {
      const { call, state } = prepareCall(this.#steps, name, args, options);
      this.#calls.set(call, state);
      if (state.kind === 'unknown' && call.toolName !== '') {
        this.#emit({
          event: EVENT.unknownTool,
          context: state.context,
          properties: { [PROP.toolName]: call.toolName },
          timestamp: state.startedAt,
          nameIsRegistered: false,
        });
      }
      return call;
    } catch (error) {
      this.#options.log.error(`prepareToolCall failed: ${describeError(error)}`);
      const passthrough = typeof args === 'object' && args !== null ? (args as JsonObject) : {};
      return {
        toolName: typeof name === 'string' ? name : '',
        args: passthrough,
        sessionId: '',
        isMissingCapability: false,
        isFeedback: false,
        isUnknownTool: false,
      };
    }
  }

  /** Emits the call's events and returns the result to deliver (with a minted handle appended, if any). */
  completeToolCall<R = unknown>(
    call: PreparedToolCall,
    outcome?: ToolCallOutcome & { result?: R },
  ): R | undefined {
    let result: R | undefined;
    try {
      result = outcome?.result;
      const state = this.#calls.get(call);
      if (!state || state.completed) return result;
      const wasTask = state.taskOpen;
      const delivered = completeCall(this.#steps, call, state, outcome ?? {});
      if (!state.taskOpen || wasTask) this.#close(state);
      return delivered as R | undefined;
    } catch (error) {
      this.#options.log.error(`completeToolCall failed: ${describeError(error)}`);
      return result;
    }
  }

  /** Captures a finished tool call. Emits `$mcp_tool_call`, and `$exception` for a failure. */
  captureToolCall(data: ToolCallCaptureData): void {
    this.#capture(data, (d) => finished.toolCallDraft(this.#steps, d));
  }

  /** Captures a legacy `initialize`. Emits `$mcp_initialize`. */
  captureInitialize(data: InitializeCaptureData): void {
    this.#capture(data, (d) => finished.initializeDraft(this.#steps, d));
  }

  /** Captures a `tools/list` page. Emits `$mcp_tools_list` with names and envelope, never the tools. */
  captureToolsList(data: ToolsListCaptureData): void {
    this.#capture(data, (d) => finished.toolsListDraft(this.#steps, d));
  }

  /** Captures a missing-capability report. Emits `$mcp_missing_capability`. */
  captureMissingCapability(data: MissingCapabilityCaptureData): void {
    this.#capture(data, (d) => finished.missingCapabilityDraft(this.#steps, d));
  }

  /** Captures a feedback report. Emits `$mcp_feedback`. */
  captureFeedback(data: FeedbackCaptureData): void {
    this.#capture(data, (d) => finished.feedbackDraft(this.#steps, d));
  }

  /** Captures a call to a tool the server does not have. Emits `$mcp_unknown_tool`. */
  captureUnknownTool(data: UnknownToolCaptureData): void {
    this.#capture(data, (d) => finished.unknownToolDraft(this.#steps, d));
  }

  /** Captures one `input_required` round. Emits `$mcp_input_required`. */
  captureInputRequired(data: InputRequiredCaptureData): void {
    this.#capture(data, (d) => finished.inputRequiredDraft(this.#steps, d));
  }

  /** Captures a `resources/read`, never its contents. Emits `$mcp_resource_read`. */
  captureResourceRead(data: ResourceCaptureData): void {
    this.#capture(data, (d) => finished.itemDraft(this.#steps, EVENT.resourceRead, d));
  }

  /** Captures a `resources/list` page. Emits `$mcp_resources_list`. */
  captureResourcesList(data: ListingCaptureData): void {
    this.#capture(data, (d) => finished.listingDraft(this.#steps, EVENT.resourcesList, d));
  }

  /** Captures a `prompts/get`, never its messages. Emits `$mcp_prompt_get`. */
  capturePromptGet(data: ResourceCaptureData): void {
    this.#capture(data, (d) => finished.itemDraft(this.#steps, EVENT.promptGet, d));
  }

  /** Captures a `prompts/list` page. Emits `$mcp_prompts_list`. */
  capturePromptsList(data: ListingCaptureData): void {
    this.#capture(data, (d) => finished.listingDraft(this.#steps, EVENT.promptsList, d));
  }

  /**
   * Wraps a JSON-RPC router `(message, context) => response` so every MCP method it serves is captured through
   * the three steps. The wrapper keeps the signature: a synchronous route stays synchronous unless `identify`
   * returns a promise, in which case the wrapper returns a promise.
   *
   * @example
   * const route = posthog.instrumentRouter(myRoute, { tools: () => TOOLS, session: () => ({ connection: 'stdio' }) });
   */
  instrumentRouter<C, R>(
    route: Router<C, R>,
    options: InstrumentRouterOptions<C> & {
      identify: (context: C) => PromiseLike<Identity | null | undefined>;
    },
  ): Router<C, Promise<Awaited<R>>>;
  instrumentRouter<C, R>(
    route: Router<C, R>,
    options?: InstrumentRouterOptions<C> & { identify?: (context: C) => Identity | null | undefined },
  ): Router<C, R>;
  instrumentRouter<C, R>(
    route: Router<C, R>,
    options?: InstrumentRouterOptions<C>,
  ): Router<C, R | Promise<Awaited<R>>>;
  instrumentRouter<C, R>(route: Router<C, R>, options?: InstrumentRouterOptions<C>): Router<C, unknown> {
    const host = {
      client: this,
      options: this.#options,
      discardCall: (call: PreparedToolCall) => this.#discard(call),
    };
    return instrumentRouter(host, route, options);
  }

  /**
   * Reports what the latest MCP events (up to 200) lacked that dashboards need — client name, user agent,
   * protocol version, a session source, identity, intent, model — with counts and a hint for each.
   * Events still being prepared are not included yet: `await flush()` first for an up-to-date report.
   */
  mcpDiagnostics(): MCPDiagnostics {
    return this.#diagnostics.report();
  }

  /**
   * Sends every queued event, after waiting for MCP events still being prepared: at most `hookTimeoutMs`
   * plus a second, so a hook that never settles cannot hold it. Rejects as posthog-node's does when the
   * endpoint fails.
   */
  override async flush(): Promise<void> {
    // posthog-node's shutdown flushes through this method; it has already had its share of MCP work.
    if (this.#shutdowns === 0) {
      await waitAtMost(this.#emitter.idle(), this.#options.hookTimeoutMs + FLUSH_MARGIN_MS);
    }
    return super.flush();
  }

  /**
   * Waits for MCP events in preparation for at most half of `shutdownTimeoutMs` (and at most `hookTimeoutMs`
   * plus a second), then gives posthog-node the rest to deliver what is queued; returns within the timeout.
   */
  override async shutdown(shutdownTimeoutMs = 30_000): Promise<void> {
    const budgetMs = shutdownBudget(shutdownTimeoutMs);
    const started = Date.now();
    const mcpShareMs = Math.min(this.#options.hookTimeoutMs + FLUSH_MARGIN_MS, Math.floor(budgetMs / 2));
    await waitAtMost(this.#emitter.idle(), mcpShareMs);
    this.#shutdowns += 1;
    try {
      return await super.shutdown(Math.max(0, budgetMs - (Date.now() - started)));
    } finally {
      this.#shutdowns -= 1;
    }
  }

  /** Labels only this package's events `posthog-node-mcp`; the host's own events keep posthog-node's `$lib`. */
  protected override processBeforeEnqueue(message: WireMessage): WireMessage | null {
    const processed = super.processBeforeEnqueue(message);
    if (processed && typeof processed.uuid === 'string' && this.#ownUuids.delete(processed.uuid)) {
      const properties = processed.properties;
      const base =
        typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? properties : {};
      // Copied by assignment: spreading and then adding two keys builds a new hidden class per event.
      const relabelled = copyMembers(base) as { [key: string]: WireJson };
      relabelled[PROP.lib] = LIB_ID;
      relabelled[PROP.libVersion] = VERSION;
      processed.properties = relabelled;
    }
    return processed;
  }

  /** Closes a prepared call that will never complete, without an event (the host said there is no such tool). */
  #discard(call: PreparedToolCall): void {
    const state = this.#calls.get(call);
    if (state && !state.completed) this.#close(state);
  }

  /** Marks a call finished and ends it on its connection, so idle rotation counts from now. */
  #close(state: CallState): void {
    state.completed = true;
    state.taskOpen = false;
    if (state.connectionKey !== undefined) this.#connections.end(state.connectionKey);
  }

  #capture<T>(data: T, build: (data: T) => EventDraft): void {
    try {
      if (typeof data !== 'object' || data === null) throw new TypeError('capture data must be an object');
      this.#emit(build(data));
    } catch (error) {
      this.#options.log.error(`MCP capture failed: ${describeError(error)}`);
    }
  }

  #emit(draft: EventDraft): void {
    this.#emitter.emit(draft);
  }

  #send(event: MCPEvent): void {
    if (this.#ownUuids.size >= MAX_OWN_UUIDS) {
      const oldest = this.#ownUuids.values().next().value;
      if (oldest !== undefined) this.#ownUuids.delete(oldest);
    }
    this.#ownUuids.add(event.uuid);
    this.capture({
      distinctId: event.distinctId,
      event: event.event,
      properties: event.properties,
      timestamp: event.timestamp,
      uuid: event.uuid,
      ...(event.groups ? { groups: event.groups } : {}),
      ...(event.event === EVENT.exception ? { _originatedFromCaptureException: true } : {}),
    });
  }
}
