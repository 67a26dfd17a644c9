import { PostHog, type PostHogOptions } from 'posthog-node';
import { MCPAnalytics } from './analytics';
import {
  finishedFeedback,
  finishedInputRequired,
  finishedMissingCapability,
  finishedToolCall,
  finishedUnknownTool,
} from './capture/finished-calls';
import {
  enrichInitialize,
  initializeEvent,
  itemEvent,
  listingEvent,
  rememberConnectionClient,
  toolsListEvent,
} from './capture/listing-events';
import type {
  FeedbackCaptureData,
  InitializeCaptureData,
  InputRequiredCaptureData,
  ListingCaptureData,
  MissingCapabilityCaptureData,
  ResourceCaptureData,
  ToolCallCaptureData,
  ToolsListCaptureData,
  UnknownToolCaptureData,
} from './capture-data';
import type { MCPDiagnostics } from './diagnostics';
import { EVENT } from './events';
import { createPostHogLogger } from './logger';
import { type MCPOptions, withoutMCPOptions } from './options';
import { OwnEvents, type WireMessage } from './own-events';
import { resolveOptions } from './resolve-options';
import { instrumentRouter } from './router/instrument-router';
import type { InstrumentRouterOptions, Router } from './router/router-options';
import { FLUSH_MARGIN_MS, shutdownBudget, waitAtMost } from './settle-hook';
import type { PreparedToolCall, PrepareToolCallOptions } from './tools/call-state';
import type { PrepareToolListOptions } from './tools/tool-catalog';
import type { Identity, ToolCallOutcome } from './types';

export type { WireJson, WireMessage } from './own-events';

/** Options of `PostHogMCP`: every posthog-node option plus the MCP options. */
export type PostHogMCPOptions = PostHogOptions & MCPOptions;

/**
 * A posthog-node client with MCP analytics: a drop-in replacement for `PostHog` whose list, call and result
 * steps (and finished-call methods) send `$mcp_*` events through the inherited `capture()`.
 */
export class PostHogMCP extends PostHog {
  readonly #mcp: MCPAnalytics;
  readonly #own: OwnEvents;
  /** How many `shutdown()` calls are in posthog-node's part, whose internal `flush()` must not wait for MCP work. */
  #shutdowns = 0;

  /** Creates the client; a bad MCP option throws a `TypeError` naming it, and nothing else throws. */
  constructor(apiKey: string, options?: PostHogMCPOptions) {
    const resolved = resolveOptions(options);
    super(apiKey, withoutMCPOptions(options));
    this.#own = new OwnEvents(resolved, options?.before_send !== undefined);
    this._logger = createPostHogLogger(resolved.logger, () => this.isDebug);
    this.#mcp = new MCPAnalytics(
      resolved,
      {
        send: (event) => this.capture(this.#own.message(event)),
        errorBuilder: () => this.getErrorPropertiesBuilder(),
        flush: () => this.flush(),
        waitUntil: options?.waitUntil,
        editsEvents: options?.before_send !== undefined,
      },
      typeof apiKey !== 'string' || apiKey.trim() === '',
    );
  }

  /** Decorates a `tools/list` page: injected arguments on each tool, virtual tools appended. The input is not mutated. */
  prepareToolList<T>(tools: readonly T[], options?: PrepareToolListOptions): T[] {
    return this.#mcp.prepareToolList(tools, options);
  }

  /** Reads a `tools/call` before dispatch: strips injected arguments and resolves intent, model and session. */
  prepareToolCall(name: string, args?: unknown, options?: PrepareToolCallOptions): PreparedToolCall {
    return this.#mcp.prepareToolCall(name, args, options);
  }

  /** Emits the call's events and returns the result to deliver (with a minted handle appended, if any). */
  completeToolCall<R = unknown>(
    call: PreparedToolCall,
    outcome?: ToolCallOutcome & { result?: R },
  ): R | undefined {
    return this.#mcp.completeToolCall(call, outcome) as R | undefined;
  }

  /** Captures a finished tool call. Emits `$mcp_tool_call`, and `$exception` for a failure. */
  captureToolCall(data: ToolCallCaptureData): void {
    this.#mcp.capture(data, (stated, d) => finishedToolCall(this.#mcp.options, stated, d));
  }

  /** Captures a legacy `initialize`. Emits `$mcp_initialize`. */
  captureInitialize(data: InitializeCaptureData): void {
    this.#mcp.capture(
      data,
      (stated, d) => initializeEvent(this.#mcp.options, stated, d),
      (d) => {
        enrichInitialize(d);
        rememberConnectionClient(this.#mcp.connections, d);
      },
    );
  }

  /** Captures a `tools/list` page. Emits `$mcp_tools_list` with names and envelope, never the tools. */
  captureToolsList(data: ToolsListCaptureData): void {
    this.#mcp.capture(data, toolsListEvent);
  }

  /** Captures a missing-capability report. Emits `$mcp_missing_capability`. */
  captureMissingCapability(data: MissingCapabilityCaptureData): void {
    this.#mcp.capture(data, (stated, d) => finishedMissingCapability(this.#mcp.options, stated, d));
  }

  /** Captures a feedback report. Emits `$mcp_feedback`. */
  captureFeedback(data: FeedbackCaptureData): void {
    this.#mcp.capture(data, (stated, d) => finishedFeedback(this.#mcp.options, stated, d));
  }

  /** Captures a call to a tool the server does not have. Emits `$mcp_unknown_tool`. */
  captureUnknownTool(data: UnknownToolCaptureData): void {
    this.#mcp.capture(data, finishedUnknownTool);
  }

  /** Captures one `input_required` round. Emits `$mcp_input_required`. */
  captureInputRequired(data: InputRequiredCaptureData): void {
    this.#mcp.capture(data, finishedInputRequired);
  }

  /** Captures a `resources/read`, never its contents. Emits `$mcp_resource_read`. */
  captureResourceRead(data: ResourceCaptureData): void {
    this.#mcp.capture(data, (stated, d) => itemEvent(EVENT.resourceRead, stated, d));
  }

  /** Captures a `resources/list` page. Emits `$mcp_resources_list`. */
  captureResourcesList(data: ListingCaptureData): void {
    this.#mcp.capture(data, (stated, d) => listingEvent(EVENT.resourcesList, stated, d));
  }

  /** Captures a `prompts/get`, never its messages. Emits `$mcp_prompt_get`. */
  capturePromptGet(data: ResourceCaptureData): void {
    this.#mcp.capture(data, (stated, d) => itemEvent(EVENT.promptGet, stated, d));
  }

  /** Captures a `prompts/list` page. Emits `$mcp_prompts_list`. */
  capturePromptsList(data: ListingCaptureData): void {
    this.#mcp.capture(data, (stated, d) => listingEvent(EVENT.promptsList, stated, d));
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
  /** Wraps a router; with a synchronous or no `identify`, a synchronous route stays synchronous. */
  instrumentRouter<C, R, M = unknown>(
    route: Router<C, R, M>,
    options?: InstrumentRouterOptions<C> & { identify?: (context: C) => Identity | null | undefined },
  ): Router<C, R, M>;
  /** Wraps a router; the result is a promise exactly when `identify` or the route returns one. */
  instrumentRouter<C, R, M = unknown>(
    route: Router<C, R, M>,
    options?: InstrumentRouterOptions<C>,
  ): Router<C, R | Promise<Awaited<R>>, M>;
  instrumentRouter<C, R, M>(
    route: Router<C, R, M>,
    options?: InstrumentRouterOptions<C>,
  ): Router<C, unknown, M> {
    const o = this.#mcp.options;
    const host = {
      client: this,
      logger: o.logger,
      virtualToolNames: [o.missingCapabilityToolName, o.collectFeedback?.toolName],
      hookTimeoutMs: o.hookTimeoutMs,
      discardCall: (call: PreparedToolCall) => this.#mcp.calls.discard(call),
    };
    if (this.#mcp.options.disabled) return route as Router<C, unknown, M>;
    return instrumentRouter(host, route, options);
  }

  /**
   * Reports what the latest MCP events (up to 200) lacked that dashboards need — client name, user agent,
   * protocol version, a session source, identity, intent, model — with counts and a hint for each.
   * Events still being prepared are not included yet: `await flush()` first for an up-to-date report.
   */
  mcpDiagnostics(): MCPDiagnostics {
    return this.#mcp.diagnostics.report();
  }

  /**
   * Sends every queued event, after waiting for MCP events still being prepared: at most `hookTimeoutMs`
   * plus a second, so a hook that never settles cannot hold it. Rejects as posthog-node's does when the
   * endpoint fails.
   */
  override async flush(): Promise<void> {
    // posthog-node's shutdown flushes through this method; it has already had its share of MCP work.
    if (this.#shutdowns === 0) {
      await waitAtMost(this.#mcp.emitter.idle(), this.#mcp.options.hookTimeoutMs + FLUSH_MARGIN_MS);
    }
    return super.flush();
  }

  /**
   * Waits for MCP events in preparation for at most half of `shutdownTimeoutMs` (each hook call is already
   * limited by `hookTimeoutMs`, so only slow preparation uses it), then gives posthog-node the rest to deliver
   * what is queued; returns within the timeout.
   */
  override async shutdown(shutdownTimeoutMs = 30_000): Promise<void> {
    const budgetMs = shutdownBudget(shutdownTimeoutMs);
    const started = Date.now();
    await waitAtMost(this.#mcp.emitter.idle(), Math.floor(budgetMs / 2));
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

  /** Labels only this package's events `posthog-node-mcp` and bounds them as sent; the host's keep their `$lib`. */
  protected override processBeforeEnqueue(message: WireMessage): WireMessage | null {
    return this.#own.relabel(super.processBeforeEnqueue(message));
  }
}
