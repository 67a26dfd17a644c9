import { uuidv7 } from 'uuidv7';
import { EVENT, PROP, VALUE } from './events';
import { describeError } from './logger';
import type { ResolvedOptions } from './options';
import { boundProperties } from './pipeline/bound';
import { commonProperties, sanitizeProperties } from './pipeline/build-properties';
import { acceptHookResult, sanitizeGroups } from './pipeline/hook-result';
import { sanitizePayload } from './pipeline/sanitize';
import type { RequestContext } from './request-context';
import { estimateTokens } from './token-estimate';
import { ToolFingerprints } from './tools/tool-fingerprint';
import type { JsonObject, MCPEvent } from './types';

/** Most events waiting for the deferred stage; past it the oldest is dropped, as posthog-node's queue does. */
export const MAX_PENDING_EVENTS = 10_000;

/** An event as the request path leaves it: raw values, sanitized later off the request path. */
export interface EventDraft {
  event: string;
  context: RequestContext;
  properties: JsonObject;
  timestamp: Date;
  /** False when `$mcp_tool_name` is not known to be a registered tool (then it is free text). */
  nameIsRegistered?: boolean;
  /** The caller's extra `properties`. */
  extraProperties?: unknown;
  /** An intent still being inferred by `intentFallback`. */
  pendingIntent?: Promise<unknown> | undefined;
  /** A failed call: the `$exception` sibling's source. */
  failure?: { error: unknown; synthetic: boolean; message: string | undefined };
  /** A tool call's raw values, measured in the deferred stage: schema hash and token estimates. */
  measure?: { descriptor: object | undefined; input: unknown; output: unknown };
}

/** What the emitter needs from the client. */
export interface EmitterHost {
  options: ResolvedOptions;
  send(event: MCPEvent): void;
  exceptionProperties(error: unknown, synthetic: boolean, message: string | undefined): Promise<JsonObject>;
  register(work: Promise<void>): void;
  /** Sees each MCP event's sanitized properties, for `mcpDiagnostics()`; must be cheap. */
  observe?(draft: EventDraft, properties: JsonObject): void;
}

/** Properties an MCP event never loses to the size bound (strings are cut only as a last resort). */
export const REQUIRED: ReadonlySet<string> = new Set<string>([
  PROP.interface,
  PROP.sessionId,
  PROP.toolName,
  PROP.isError,
  PROP.durationMs,
  PROP.source,
  PROP.listedToolNames,
  PROP.inputRequestMethods,
  PROP.feedbackType,
  PROP.exceptionList,
  PROP.exceptionLevel,
  PROP.exceptionSource,
]);

/** Keys an `$exception` sibling copies from its call: the common table, the tool and the person. */
const SHARED_WITH_EXCEPTION = [
  PROP.toolName,
  PROP.processPersonProfile,
  PROP.set,
  PROP.groups,
  ...Object.keys(commonProperties({ sessionId: '', client: {} }, {})),
];

/** Turns drafts into events after the response is on its way: sanitize, bound, before-send, capture. */
export class MCPEmitter {
  readonly #host: EmitterHost;
  readonly #fingerprints = new ToolFingerprints();
  #pending: EventDraft[] = [];
  #drain: Promise<void> | undefined;

  constructor(host: EmitterHost) {
    this.#host = host;
  }

  /** Accepts a draft; the work runs on a later turn of the event loop. */
  emit(draft: EventDraft): void {
    if (this.#pending.length >= MAX_PENDING_EVENTS) {
      this.#pending.shift();
      this.#host.options.log.warn('too many MCP events waiting; the oldest was dropped');
    }
    this.#pending.push(draft);
    if (!this.#drain) this.#drain = this.#schedule();
  }

  /** Resolves when every accepted draft has been handed to `capture()`. */
  async idle(): Promise<void> {
    while (this.#drain) await this.#drain;
  }

  #schedule(): Promise<void> {
    const work = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#run())
      .finally(() => {
        this.#drain = this.#pending.length > 0 ? this.#schedule() : undefined;
      });
    this.#host.register(work);
    return work;
  }

  async #run(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    await Promise.all(
      batch.map((draft) =>
        this.#finalize(draft).catch((error: unknown) => {
          this.#host.options.log.error(`could not send ${draft.event}: ${describeError(error)}`);
        }),
      ),
    );
  }

  async #finalize(draft: EventDraft): Promise<void> {
    const o = this.#host.options;
    const raw = commonProperties(draft.context, {
      name: o.serverName,
      version: o.serverVersion,
      build: o.serverBuild,
    });
    // Assigned, not spread: spreading into a cloned object builds a fresh hidden class on every event.
    for (const key of Object.keys(draft.properties)) raw[key] = draft.properties[key];
    if (draft.pendingIntent && raw[PROP.intent] === undefined) {
      const inferred = await draft.pendingIntent.catch(() => undefined);
      if (typeof inferred === 'string' && inferred.trim() !== '' && inferred.trim() !== '{}') {
        raw[PROP.intent] = inferred;
        raw[PROP.intentSource] = 'inferred';
      }
    }
    if (draft.measure) Object.assign(raw, this.#measure(draft.measure));
    const properties = sanitizeProperties(raw, draft.extraProperties, draft.nameIsRegistered ?? true);
    this.#observe(draft, properties);
    const groups = this.#applyIdentity(properties, draft.context);
    const call = await this.#send(draft, properties, groups);
    if (call && draft.failure && o.exceptionAutocapture) await this.#sendException(draft, properties, groups);
  }

  #measure(sources: NonNullable<EventDraft['measure']>): JsonObject {
    return {
      [PROP.toolSchemaHash]: sources.descriptor ? this.#fingerprints.hashOf(sources.descriptor) : undefined,
      [PROP.inputTokensEst]: estimateTokens(sources.input ?? {}),
      [PROP.outputTokensEst]: estimateTokens(sources.output),
    };
  }

  #observe(draft: EventDraft, properties: JsonObject): void {
    try {
      this.#host.observe?.(draft, properties);
    } catch (error) {
      this.#host.options.log.error(`diagnostics failed for ${draft.event}: ${describeError(error)}`);
    }
  }

  #applyIdentity(
    properties: JsonObject,
    context: RequestContext,
  ): Record<string, string | number> | undefined {
    const identity = context.identity;
    if (!identity) {
      properties[PROP.processPersonProfile] = false;
      return undefined;
    }
    if (identity.properties !== undefined) properties[PROP.set] = sanitizePayload(identity.properties);
    const groups = sanitizeGroups(identity.groups);
    if (groups) properties[PROP.groups] = groups;
    return groups;
  }

  async #send(
    draft: EventDraft,
    properties: JsonObject,
    groups: Record<string, string | number> | undefined,
  ): Promise<boolean> {
    const bounded = boundProperties(properties, { required: REQUIRED });
    const event: MCPEvent = {
      event: draft.event,
      distinctId: draft.context.identity?.distinctId ?? draft.context.sessionId,
      properties: bounded,
      timestamp: draft.timestamp,
      uuid: uuidv7(),
      ...(groups ? { groups } : {}),
    };
    const kept = await this.#beforeSend(event);
    if (kept) this.#host.send(kept);
    return kept !== undefined;
  }

  async #sendException(
    draft: EventDraft,
    call: JsonObject,
    groups: Record<string, string | number> | undefined,
  ): Promise<void> {
    const failure = draft.failure!;
    const properties: JsonObject = {};
    for (const key of SHARED_WITH_EXCEPTION) if (call[key] !== undefined) properties[key] = call[key];
    const exception = await this.#host.exceptionProperties(failure.error, failure.synthetic, failure.message);
    Object.assign(properties, exception, {
      [PROP.exceptionLevel]: VALUE.exceptionLevel,
      [PROP.exceptionSource]: VALUE.exceptionSource,
      [PROP.interface]: VALUE.interface,
    });
    await this.#send({ ...draft, event: EVENT.exception }, properties, groups);
  }

  async #beforeSend(event: MCPEvent): Promise<MCPEvent | undefined> {
    const hook = this.#host.options.beforeSend;
    if (!hook) return event;
    try {
      // The hook is host code: whatever it returns is checked and copied before posthog-node sees it.
      return acceptHookResult(event, await hook(event), REQUIRED);
    } catch (error) {
      this.#host.options.log.warn(
        `beforeSend threw for ${event.event}; the event was dropped: ${describeError(error)}`,
      );
      return undefined;
    }
  }
}
