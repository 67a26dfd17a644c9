import { uuidv7 } from 'uuidv7';
import { EventQueue } from './event-queue';
import { EVENT, PROP, VALUE } from './events';
import { HostHooks } from './host-hooks';
import { describeError } from './logger';
import type { ResolvedOptions } from './options';
import { boundProperties, jsonByteLength } from './pipeline/bound';
import { commonProperties, sanitizeProperties } from './pipeline/build-properties';
import { sanitizeGroups } from './pipeline/hook-result';
import { sanitizePayload } from './pipeline/sanitize';
import type { RequestContext } from './request-context';
import { estimateTokens } from './token-estimate';
import { ToolFingerprints } from './tools/tool-fingerprint';
import type { JsonObject, MCPEvent } from './types';

/** Most MCP events accepted and not yet handed to `capture()`; past it new events are dropped. */
export const MAX_PENDING_EVENTS = 10_000;

/**
 * Most bytes (compact JSON of their sanitized properties) held by MCP events waiting on a host hook; past it
 * new events are dropped until some are sent.
 */
export const MAX_WAITING_BYTES = 16 * 1_048_576;

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

const REQUIRED = new Set<string>([
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
  readonly #queue: EventQueue<EventDraft>;
  readonly #hooks: HostHooks;

  constructor(host: EmitterHost) {
    this.#host = host;
    this.#hooks = new HostHooks(host.options, REQUIRED);
    this.#queue = new EventQueue({
      run: (draft) => this.#process(draft),
      register: (work) => host.register(work),
      maxItems: MAX_PENDING_EVENTS,
      maxBytes: MAX_WAITING_BYTES,
    });
  }

  /** Accepts a draft; the work runs on a later turn of the event loop, independently of other drafts. */
  emit(draft: EventDraft): void {
    if (!this.#queue.accept(draft)) {
      this.#hooks.warnOnce(
        'full',
        `more than ${MAX_PENDING_EVENTS} MCP events waiting; new ones are dropped`,
      );
    }
  }

  /** Resolves when every draft accepted so far has been handed to `capture()` or dropped. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Never rejects; holds only the event name while the work runs, not the draft. */
  #process(draft: EventDraft): Promise<void> {
    const name = draft.event;
    const fail = (error: unknown): void => {
      this.#host.options.log.error(`could not send ${name}: ${describeError(error)}`);
    };
    try {
      return this.#finalize(draft).catch(fail);
    } catch (error) {
      fail(error);
      return Promise.resolve();
    }
  }

  /**
   * Prepares a draft synchronously, then continues with a lean copy: a waiting event holds its sanitized
   * properties, never the raw arguments and results it was built from.
   */
  #finalize(draft: EventDraft): Promise<void> {
    const properties = this.#prepare(draft);
    const needsIntent = draft.pendingIntent !== undefined && draft.properties[PROP.intent] === undefined;
    const lean: EventDraft = {
      event: draft.event,
      context: draft.context,
      properties: {},
      timestamp: draft.timestamp,
      pendingIntent: needsIntent ? draft.pendingIntent : undefined,
      ...(draft.failure ? { failure: draft.failure } : {}),
    };
    const hooked = needsIntent || this.#hooks.hasBeforeSend;
    const weight = hooked ? jsonByteLength(properties) + 2 * (draft.failure?.message?.length ?? 0) : 0;
    if (!this.#queue.hold(weight)) {
      this.#hooks.warnOnce(
        'bytes',
        `MCP events waiting on hooks hold over ${MAX_WAITING_BYTES} bytes; new ones are dropped`,
      );
      return Promise.resolve();
    }
    const done = this.#complete(lean, properties);
    return weight === 0 ? done : done.finally(() => this.#queue.release(weight));
  }

  #prepare(draft: EventDraft): JsonObject {
    const o = this.#host.options;
    const raw = commonProperties(draft.context, {
      name: o.serverName,
      version: o.serverVersion,
      build: o.serverBuild,
    });
    // Assigned, not spread: spreading into a cloned object builds a fresh hidden class on every event.
    for (const key of Object.keys(draft.properties)) raw[key] = draft.properties[key];
    if (draft.measure) Object.assign(raw, this.#measure(draft.measure));
    return sanitizeProperties(raw, draft.extraProperties, draft.nameIsRegistered ?? true);
  }

  async #complete(draft: EventDraft, properties: JsonObject): Promise<void> {
    if (draft.pendingIntent) {
      const intent = await this.#hooks.inferIntent(draft.pendingIntent);
      if (intent !== undefined) {
        properties[PROP.intent] = intent;
        properties[PROP.intentSource] = 'inferred';
      }
    }
    this.#observe(draft, properties);
    const groups = this.#applyIdentity(properties, draft.context);
    const call = await this.#send(draft, properties, groups);
    if (call && draft.failure && this.#host.options.exceptionAutocapture) {
      await this.#sendException(draft, properties, groups);
    }
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
    const kept = await this.#hooks.beforeSend(event);
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
}
