import { PostHog, type PostHogOptions } from 'posthog-node';
import {
  finishedFeedback,
  finishedInputRequired,
  finishedMissingCapability,
  finishedToolCall,
  finishedUnknownTool,
  type StatedRequest,
} from './capture/finished-calls';
import {
  enrichInitialize,
  initializeEvent,
  itemEvent,
  listingEvent,
  rememberConnectionClient,
  toolsListEvent,
} from './capture/listing-events';
import { resolveStatedRequest } from './capture/stated-request';
import { DeferredStages } from './deferred-stages';
import { DiagnosticsRecorder, type MCPDiagnostics } from './diagnostics';
import { MCPEmitter, REQUIRED } from './emitter';
import type { EventDraft } from './event-draft';
import { EVENT, PROP } from './events';
import { createPostHogLogger, describeError } from './logger';
import { MCP_OPTION_KEYS, type MCPOptions, type ResolvedOptions } from './options';
import { boundProperties } from './pipeline/bound';
import { ExceptionListCache, exceptionProperties } from './pipeline/exception';
import { fitsJsonBytes } from './pipeline/json-size';
import { MAX_EVENT_BYTES } from './pipeline/limits';
import { resolveOptions } from './resolve-options';
import { instrumentRouter } from './router/instrument-router';
import type { InstrumentRouterOptions, Router } from './router/router-options';
import { copyMembers } from './safe-object';
import { ConnectionSessions } from './session/connection-sessions';
import { FLUSH_MARGIN_MS, shutdownBudget, waitAtMost } from './settle-hook';
import { formatEventLine } from './summary';
import type { PreparedToolCall, PrepareToolCallOptions } from './tools/call-state';
import { ToolCalls } from './tools/tool-calls';
import { type PrepareToolListOptions, ToolCatalog } from './tools/tool-catalog';
import type {
  CaptureCommon,
  FeedbackCaptureData,
  Identity,
  InitializeCaptureData,
  InputRequiredCaptureData,
  ListingCaptureData,
  MCPEvent,
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

/** Said once through the logger when the client is built without an API key. */
const MISSING_API_KEY =
  'the PostHog API key is missing or empty (is POSTHOG_API_KEY set?): this client sends no events. Pass your project API key (phc_…).';

/** Said once through the logger when MCP analytics is turned off. */
const DISABLED =
  'MCP analytics is off (disabled option, DO_NOT_TRACK or POSTHOG_MCP_DISABLED): nothing is injected or captured.';

/** Most of our own event uuids awaiting relabelling; a bound for events a host `before_send` dropped. */
const MAX_OWN_UUIDS = 10_000;

/** What the bound on the wire never drops: the MCP event's required properties and posthog-node's labels. */
const WIRE_REQUIRED: ReadonlySet<string> = new Set([
  ...REQUIRED,
  PROP.lib,
  PROP.libVersion,
  PROP.geoipDisable,
]);

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
  readonly #connections = new ConnectionSessions();
  readonly #emitter: MCPEmitter;
  readonly #calls: ToolCalls;
  readonly #ownUuids = new Set<string>();
  readonly #exceptionLists = new ExceptionListCache();
  readonly #diagnostics: DiagnosticsRecorder;
  /** How many `shutdown()` calls are in posthog-node's part, whose internal `flush()` must not wait for MCP work. */
  #shutdowns = 0;

  constructor(apiKey: string, options?: PostHogMCPOptions) {
    const resolved = resolveOptions(options);
    super(apiKey, posthogOptions(options));
    this.#options = resolved;
    this._logger = createPostHogLogger(resolved.logger, () => this.isDebug);
    const keyless = typeof apiKey !== 'string' || apiKey.trim() === '';
    if (keyless) resolved.logger.warn(MISSING_API_KEY);
    this.#diagnostics = new DiagnosticsRecorder({ apiKeyMissing: keyless });
    if (resolved.disabled) resolved.logger.warn(DISABLED);
    this.#catalog = new ToolCatalog(resolved);
    const waitUntil = options?.waitUntil;
    const stages = new DeferredStages(
      resolved,
      (failure) =>
        exceptionProperties(this.getErrorPropertiesBuilder(), failure.error, {
          synthetic: failure.synthetic,
          message: failure.message,
          type: failure.type,
          cache: this.#exceptionLists,
        }),
      resolved.exceptionRateLimit,
    );
    this.#emitter = new MCPEmitter({
      options: resolved,
      send: (event) => this.#send(event),
      measure: (draft) => stages.measure(draft),
      siblings: (draft, properties) => stages.siblings(draft, properties),
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
    this.#calls = new ToolCalls({
      options: resolved,
      catalog: this.#catalog,
      connections: this.#connections,
      emit: (draft) => this.#emitter.emit(draft),
    });
  }

  /** Decorates a `tools/list` page: injected arguments on each tool, virtual tools appended. The input is not mutated. */
  prepareToolList<T>(tools: readonly T[], options?: PrepareToolListOptions): T[] {
    try {
      if (this.#options.disabled) return Array.isArray(tools) ? [...tools] : [];
      return this.#catalog.prepare(Array.isArray(tools) ? tools : [], options ?? {});
    } catch (error) {
      this.#options.logger.error(`prepareToolList failed: ${describeError(error)}`);
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
      if (this.#options.disabled) return this.#calls.passthrough(name, args);
      return this.#calls.prepare(name, args, options);
    } catch (error) {
      this.#options.logger.error(`prepareToolCall failed: ${describeError(error)}`);
      return this.#calls.passthrough(name, args);
    }
  }

  /** Emits the call's events and returns the result to deliver (with a minted handle appended, if any). */
  completeToolCall<R = unknown>(
    call: PreparedToolCall,
    outcome?: ToolCallOutcome & { result?: R },
  ): R | undefined {
    try {
      return this.#calls.complete(call, outcome) as R | undefined;
    } catch (error) {
      this.#options.logger.error(`completeToolCall failed: ${describeError(error)}`);
      try {
        return outcome?.result;
      } catch {
        return undefined;
      }
    }
  }

  /** Captures a finished tool call. Emits `$mcp_tool_call`, and `$exception` for a failure. */
  captureToolCall(data: ToolCallCaptureData): void {
    this.#capture(data, (stated, d) => finishedToolCall(this.#options, stated, d));
  }

  /** Captures a legacy `initialize`. Emits `$mcp_initialize`. */
  captureInitialize(data: InitializeCaptureData): void {
    this.#capture(
      data,
      (stated, d) => initializeEvent(this.#options, stated, d),
      (d) => {
        const enriched = enrichInitialize(d);
        rememberConnectionClient(this.#connections, enriched);
        return enriched;
      },
    );
  }

  /** Captures a `tools/list` page. Emits `$mcp_tools_list` with names and envelope, never the tools. */
  captureToolsList(data: ToolsListCaptureData): void {
    this.#capture(data, toolsListEvent);
  }

  /** Captures a missing-capability report. Emits `$mcp_missing_capability`. */
  captureMissingCapability(data: MissingCapabilityCaptureData): void {
    this.#capture(data, (stated, d) => finishedMissingCapability(this.#options, stated, d));
  }

  /** Captures a feedback report. Emits `$mcp_feedback`. */
  captureFeedback(data: FeedbackCaptureData): void {
    this.#capture(data, (stated, d) => finishedFeedback(this.#options, stated, d));
  }

  /** Captures a call to a tool the server does not have. Emits `$mcp_unknown_tool`. */
  captureUnknownTool(data: UnknownToolCaptureData): void {
    this.#capture(data, finishedUnknownTool);
  }

  /** Captures one `input_required` round. Emits `$mcp_input_required`. */
  captureInputRequired(data: InputRequiredCaptureData): void {
    this.#capture(data, finishedInputRequired);
  }

  /** Captures a `resources/read`, never its contents. Emits `$mcp_resource_read`. */
  captureResourceRead(data: ResourceCaptureData): void {
    this.#capture(data, (stated, d) => itemEvent(EVENT.resourceRead, stated, d));
  }

  /** Captures a `resources/list` page. Emits `$mcp_resources_list`. */
  captureResourcesList(data: ListingCaptureData): void {
    this.#capture(data, (stated, d) => listingEvent(EVENT.resourcesList, stated, d));
  }

  /** Captures a `prompts/get`, never its messages. Emits `$mcp_prompt_get`. */
  capturePromptGet(data: ResourceCaptureData): void {
    this.#capture(data, (stated, d) => itemEvent(EVENT.promptGet, stated, d));
  }

  /** Captures a `prompts/list` page. Emits `$mcp_prompts_list`. */
  capturePromptsList(data: ListingCaptureData): void {
    this.#capture(data, (stated, d) => listingEvent(EVENT.promptsList, stated, d));
  }

  /**
   * Wraps a JSON-RPC router `(message, context) => response` so every MCP method it serves is captured through
   * the three steps. The wrapper keeps the signature: a synchronous route stays synchronous unless `identify`
   * returns a promise, in which case the wrapper returns a promise.
   *
   * @example
   * const route = posthog.instrumentRouter(myRoute, { tools: () => TOOLS, session: () => ({ connection: 'stdio' }) });
   */
  instrumentRouter<C, R, M = unknown>(
    route: Router<C, R, M>,
    options: InstrumentRouterOptions<C> & {
      identify: (context: C) => PromiseLike<Identity | null | undefined>;
    },
  ): Router<C, Promise<Awaited<R>>, M>;
  instrumentRouter<C, R, M = unknown>(
    route: Router<C, R, M>,
    options?: InstrumentRouterOptions<C> & { identify?: (context: C) => Identity | null | undefined },
  ): Router<C, R, M>;
  instrumentRouter<C, R, M = unknown>(
    route: Router<C, R, M>,
    options?: InstrumentRouterOptions<C>,
  ): Router<C, R | Promise<Awaited<R>>, M>;
  instrumentRouter<C, R, M>(
    route: Router<C, R, M>,
    options?: InstrumentRouterOptions<C>,
  ): Router<C, unknown, M> {
    const host = {
      client: this,
      logger: this.#options.logger,
      virtualToolNames: [this.#options.missingCapabilityToolName, this.#options.collectFeedback?.toolName],
      discardCall: (call: PreparedToolCall) => this.#calls.discard(call),
    };
    if (this.#options.disabled) return route as Router<C, unknown, M>;
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

  /** posthog-node's console writers would print `debug(true)` output to stdout: `_logger` replaces them. */
  protected override logMsgIfDebug(_write: () => void): void {}

  /** A background flush failure goes through the MCP logger (stderr when none), like posthog-node's other logs. */
  protected override flushAutomatic(): Promise<void> {
    return super.flushAutomatic().catch((error: unknown) => {
      this._logger.critical('Error while flushing PostHog:', error);
    });
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
      // The bound holds for what is sent: posthog-node has added its own properties since the emitter's bound.
      processed.properties = fitsJsonBytes(relabelled, MAX_EVENT_BYTES)
        ? relabelled
        : (boundProperties(relabelled, { required: WIRE_REQUIRED }) as { [key: string]: WireJson });
    }
    return processed;
  }

  #capture<T extends CaptureCommon>(
    data: T,
    build: (stated: StatedRequest, data: T) => EventDraft,
    prepare?: (data: T) => T,
  ): void {
    if (this.#options.disabled) return;
    try {
      if (typeof data !== 'object' || data === null) throw new TypeError('capture data must be an object');
      const given = prepare ? prepare(data) : data;
      this.#emitter.emit(build(resolveStatedRequest(given, this.#connections, this.#options), given));
    } catch (error) {
      this.#options.logger.error(`MCP capture failed: ${describeError(error)}`);
    }
  }

  #send(event: MCPEvent): void {
    if (this.#ownUuids.size >= MAX_OWN_UUIDS) {
      const oldest = this.#ownUuids.values().next().value;
      if (oldest !== undefined) this.#ownUuids.delete(oldest);
    }
    this.#ownUuids.add(event.uuid);
    if (this.#options.logger.logsEvents) this.#options.logger.debug(formatEventLine(event));
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
