import type { PostHog } from 'posthog-node';
import { type StatedRequest, statedTimestamp } from './capture/finished-calls';
import { snapshotData } from './capture/snapshot';
import { resolveStatedRequest, statedCaller } from './capture/stated-request';
import type { CaptureCommon } from './capture-data';
import { DeferredStages } from './deferred-stages';
import { DiagnosticsRecorder } from './diagnostics';
import { MCPEmitter } from './emitter';
import type { EventDraft } from './event-draft';
import { describeError } from './logger';
import type { ResolvedOptions } from './options';
import { ExceptionListCache, exceptionProperties } from './pipeline/exception';
import { ConnectionSessions } from './session/connection-sessions';
import type { PreparedToolCall } from './tools/call-state';
import { ToolCalls } from './tools/tool-calls';
import { type PrepareToolListOptions, ToolCatalog } from './tools/tool-catalog';
import type { MCPEvent, ToolCallOutcome } from './types';

/** Said once through the logger when the client is built without an API key. */
const MISSING_API_KEY =
  'the PostHog API key is missing or empty (is POSTHOG_API_KEY set?): this client sends no events. Pass your project API key (phc_…).';

/** Said once through the logger when MCP analytics is turned off. */
const DISABLED =
  'MCP analytics is off (disabled option, DO_NOT_TRACK or POSTHOG_MCP_DISABLED): nothing is injected or captured.';

/** What the analytics core needs from the posthog-node client it lives in. */
export interface AnalyticsHost {
  /** Hands a finished MCP event to `capture()`. */
  send(event: MCPEvent): void;
  /** posthog-node's error-tracking builder, for `$exception_list`. */
  errorBuilder(): ReturnType<PostHog['getErrorPropertiesBuilder']>;
  /** Sends what is queued (the client's own `flush`). */
  flush(): Promise<void>;
  /** True when posthog-node's own `before_send` is set: it may edit the events handed to `capture()`. */
  editsEvents?: boolean | undefined;
  /** The platform's wait-until for serverless hosts, given each piece of MCP work with a flush after it. */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/** Hands a piece of MCP work, then a flush, to the platform's wait-until; a failing wait-until is ignored. */
function waitFor(host: AnalyticsHost, work: Promise<void>): void {
  if (!host.waitUntil) return;
  try {
    host.waitUntil(work.then(() => host.flush()).catch(() => undefined));
  } catch {
    // A failing waitUntil must not reach the host.
  }
}

/** The parts of MCP analytics one client owns: catalog, calls, connections, the deferred stage, diagnostics. */
export class MCPAnalytics {
  readonly options: ResolvedOptions;
  readonly catalog: ToolCatalog;
  readonly connections = new ConnectionSessions();
  readonly emitter: MCPEmitter;
  readonly calls: ToolCalls;
  readonly diagnostics: DiagnosticsRecorder;
  readonly #exceptionLists = new ExceptionListCache();

  constructor(options: ResolvedOptions, host: AnalyticsHost, apiKeyMissing: boolean) {
    this.options = options;
    if (apiKeyMissing) options.logger.warn(MISSING_API_KEY);
    if (options.disabled) options.logger.warn(DISABLED);
    const diagnostics = new DiagnosticsRecorder({ apiKeyMissing });
    this.diagnostics = diagnostics;
    this.catalog = new ToolCatalog(options);
    const stages = new DeferredStages(
      options,
      (failure) =>
        exceptionProperties(host.errorBuilder(), failure.error, {
          synthetic: failure.synthetic,
          message: failure.message,
          type: failure.type,
          cache: this.#exceptionLists,
          share: options.beforeSend === undefined && host.editsEvents !== true,
        }),
      options.exceptionRateLimit,
      (tool) => this.catalog.originOf(tool),
    );
    this.emitter = new MCPEmitter({
      options,
      send: (event) => host.send(event),
      measure: (draft) => stages.measure(draft),
      siblings: (draft, properties) => stages.siblings(draft, properties),
      mayHaveSiblings: (draft) => stages.mayHaveSiblings(draft),
      observe: (draft, properties) => diagnostics.record(draft, properties),
      // Not added to posthog-node's pending promises: its flush and shutdown would wait on host hooks.
      register: (work) => waitFor(host, work),
    });
    this.calls = new ToolCalls({
      options,
      catalog: this.catalog,
      connections: this.connections,
      emit: (draft) => this.emitter.emit(draft),
    });
  }

  /** The list step; on any failure the tools pass through as given. */
  prepareToolList<T>(tools: readonly T[], options: PrepareToolListOptions | undefined): T[] {
    try {
      if (this.options.disabled) return Array.isArray(tools) ? [...tools] : [];
      return this.catalog.prepare(Array.isArray(tools) ? tools : [], options ?? {});
    } catch (error) {
      this.options.logger.error(`prepareToolList failed: ${describeError(error)}`);
      try {
        return Array.isArray(tools) ? [...tools] : [];
      } catch {
        // A revoked or throwing proxy cannot even be copied.
        return [];
      }
    }
  }

  /** The call step; on any failure the arguments pass through untouched. */
  prepareToolCall(name: unknown, args: unknown, options: unknown): PreparedToolCall {
    try {
      if (this.options.disabled) return this.calls.passthrough(name, args);
      return this.calls.prepare(name, args, options);
    } catch (error) {
      this.options.logger.error(`prepareToolCall failed: ${describeError(error)}`);
      return this.calls.passthrough(name, args);
    }
  }

  /** The result step; on any failure the result is delivered as given. */
  completeToolCall(call: PreparedToolCall, outcome: ToolCallOutcome | undefined): unknown {
    try {
      return this.calls.complete(call, outcome);
    } catch (error) {
      this.options.logger.error(`completeToolCall failed: ${describeError(error)}`);
      try {
        return outcome?.result;
      } catch {
        return undefined;
      }
    }
  }

  /**
   * The finished-call methods' one choke point; never throws. At call time it reads the caller's fields once,
   * settles session and identity and runs `prepare`; resolving the request and building the event is deferred.
   */
  capture<T extends CaptureCommon>(
    data: T,
    build: (stated: StatedRequest, data: T) => EventDraft,
    prepare?: (data: T) => void,
  ): void {
    if (this.options.disabled) return;
    try {
      if (typeof data !== 'object' || data === null) throw new TypeError('capture data must be an object');
      const given = snapshotData(data);
      (given as CaptureCommon).timestamp = statedTimestamp(given);
      prepare?.(given);
      const caller = statedCaller(given, this.connections, this.options);
      this.emitter.emit(() => build(resolveStatedRequest(given, caller, this.options), given));
    } catch (error) {
      this.options.logger.error(`MCP capture failed: ${describeError(error)}`);
    }
  }
}
