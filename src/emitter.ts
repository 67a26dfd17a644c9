import { uuidv7 } from 'uuidv7';
import type { EventDraft } from './event-draft';
import { EVENT, PROP, VALUE } from './events';
import { describeError } from './logger';
import type { ResolvedOptions } from './options';
import { boundProperties } from './pipeline/bound';
import { sanitizeProperties } from './pipeline/build-properties';
import { acceptHookResult } from './pipeline/hook-result';
import { REQUEST_KEYS } from './request/request-facts';
import { estimateTokens } from './token-estimate';
import { ToolFingerprints } from './tools/tool-fingerprint';
import type { JsonObject, MCPEvent } from './types';

/** Most events waiting for the deferred stage; past it the oldest is dropped, as posthog-node's queue does. */
export const MAX_PENDING_EVENTS = 10_000;

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

/** Keys an `$exception` sibling copies from its call: the request's and the tool's. */
const SHARED_WITH_EXCEPTION = [PROP.toolName, ...REQUEST_KEYS];

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
      this.#host.options.logger.warn('too many MCP events waiting; the oldest was dropped');
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
          this.#host.options.logger.error(`could not send ${draft.event}: ${describeError(error)}`);
        }),
      ),
    );
  }

  async #finalize(draft: EventDraft): Promise<void> {
    const raw = draft.properties;
    if (draft.pendingIntent && raw[PROP.intent] === undefined) {
      const inferred = await draft.pendingIntent.catch(() => undefined);
      if (typeof inferred === 'string' && inferred.trim() !== '' && inferred.trim() !== '{}') {
        raw[PROP.intent] = inferred;
        raw[PROP.intentSource] = 'inferred';
      }
    }
    if (draft.measure) Object.assign(raw, this.#measure(draft.measure));
    const properties = sanitizeProperties(raw, draft.extraProperties, draft.nameIsRegistered);
    this.#observe(draft, properties);
    const call = await this.#send(draft, properties);
    if (call && draft.failure && this.#host.options.mcpExceptionAutocapture) {
      await this.#sendException(draft, properties);
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
      this.#host.options.logger.error(`diagnostics failed for ${draft.event}: ${describeError(error)}`);
    }
  }

  async #send(draft: EventDraft, properties: JsonObject): Promise<boolean> {
    const bounded = boundProperties(properties, { required: REQUIRED });
    const event: MCPEvent = {
      event: draft.event,
      distinctId: draft.distinctId,
      properties: bounded,
      timestamp: draft.timestamp,
      uuid: uuidv7(),
      ...(draft.groups ? { groups: draft.groups } : {}),
    };
    const kept = await this.#beforeSend(event);
    if (kept) this.#host.send(kept);
    return kept !== undefined;
  }

  async #sendException(draft: EventDraft, call: JsonObject): Promise<void> {
    const failure = draft.failure!;
    const properties: JsonObject = {};
    for (const key of SHARED_WITH_EXCEPTION) if (call[key] !== undefined) properties[key] = call[key];
    const exception = await this.#host.exceptionProperties(failure.error, failure.synthetic, failure.message);
    Object.assign(properties, exception, {
      [PROP.exceptionLevel]: VALUE.exceptionLevel,
      [PROP.exceptionSource]: VALUE.exceptionSource,
      [PROP.interface]: VALUE.interface,
    });
    await this.#send({ ...draft, event: EVENT.exception }, properties);
  }

  async #beforeSend(event: MCPEvent): Promise<MCPEvent | undefined> {
    const hook = this.#host.options.beforeSend;
    if (!hook) return event;
    try {
      // The hook is host code: whatever it returns is checked and copied before posthog-node sees it.
      return acceptHookResult(event, await hook(event), REQUIRED);
    } catch (error) {
      this.#host.options.logger.warn(
        `beforeSend threw for ${event.event}; the event was dropped: ${describeError(error)}`,
      );
      return undefined;
    }
  }
}
