import { uuidv7 } from 'posthog-node';
import type { EventDraft } from './event-draft';
import { EventQueue } from './event-queue';
import { PROP } from './events';
import { HostHooks } from './host-hooks';
import { describeError } from './logger';
import type { ResolvedOptions } from './options';
import { boundProperties, jsonByteLength } from './pipeline/bound';
import { sanitizeInto, sanitizeProperties } from './pipeline/build-properties';
import { RawSizes } from './pipeline/raw-size';
import type { JsonObject } from './safe-object';
import type { MCPEvent } from './types';

/** Most MCP events accepted and not yet handed to `capture()`; past it new events are dropped. */
export const MAX_PENDING_EVENTS = 10_000;

/**
 * Most bytes (compact JSON of their sanitized properties) held by MCP events waiting on a host hook; past it
 * new events are dropped until some are sent.
 */
export const MAX_WAITING_BYTES = 16 * 1_048_576;

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

/** An event sent beside another and only with it, sharing its identity and timestamp. */
export interface SiblingEvent {
  event: string;
  properties: JsonObject;
}

/** What the emitter needs from the client. */
export interface EmitterHost {
  options: ResolvedOptions;
  send(event: MCPEvent): void;
  register(work: Promise<void>): void;
  /** Measures a draft's raw values into properties, off the request path (hashes, estimates, signals). */
  measure(draft: EventDraft): JsonObject | undefined;
  /** The sibling events of a sent event (its `$exception`, its `$ai_span`), built from its properties. */
  siblings(draft: EventDraft, properties: JsonObject): Promise<SiblingEvent[]>;
  /** False when `siblings` would surely give none, so the event is sent without awaiting it. */
  mayHaveSiblings(draft: EventDraft): boolean;
  /** Sees each MCP event's sanitized properties, for `mcpDiagnostics()`; must be cheap. */
  observe?(draft: EventDraft, properties: JsonObject): void;
}

/** Turns drafts into events after the response is on its way: sanitize, bound, before-send, capture. */
export class MCPEmitter {
  readonly #host: EmitterHost;
  readonly #queue: EventQueue<EventDraft | (() => EventDraft)>;
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

  /**
   * Accepts a draft, or a function building it off the request path; the work runs on a later turn of the
   * event loop, independently of other drafts.
   */
  emit(draft: EventDraft | (() => EventDraft)): void {
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

  /**
   * Never rejects; holds only the event name while the work runs, not the draft. Returns nothing when the event
   * was sent (or dropped) synchronously: no hook, no pending intent and no siblings to wait for.
   */
  #process(item: EventDraft | (() => EventDraft)): Promise<void> | undefined {
    let name = typeof item === 'function' ? 'an MCP event' : item.event;
    try {
      const draft = typeof item === 'function' ? item() : item;
      name = draft.event;
      return this.#finalize(draft)?.catch((error: unknown) => this.#fail(name, error));
    } catch (error) {
      this.#fail(name, error);
      return undefined;
    }
  }

  #fail(name: string, error: unknown): void {
    this.#host.options.logger.error(`could not send ${name}: ${describeError(error)}`);
  }

  /**
   * Prepares a draft synchronously; with no hook, no pending intent and no siblings the event is sent at once.
   * Otherwise it continues with a lean copy: a waiting event holds its sanitized properties, never the raw
   * arguments and results it was built from.
   */
  #finalize(draft: EventDraft): Promise<void> | undefined {
    const sources = draft.measure;
    // A call's payload walks also take the raw sizes of its input and response, for its token estimates.
    if (sources && !sources.catalog) {
      const response = draft.properties[PROP.response];
      const copied = response !== sources.output && typeof sources.output === 'object';
      sources.sizes = new RawSizes([sources.input, response], copied ? [sources.output] : []);
    }
    const properties = sanitizeProperties(
      draft.properties,
      draft.extraProperties,
      draft.nameIsRegistered,
      sources?.sizes,
    );
    // Measured after sanitizing (never read by it), and added last, where assigning them to the draft put them.
    const measured = this.#host.measure(draft);
    if (measured) sanitizeInto(properties, measured, draft.nameIsRegistered);
    const needsIntent = draft.pendingIntent !== undefined && properties[PROP.intent] === undefined;
    const hooked = needsIntent || this.#hooks.hasBeforeSend;
    if (!hooked) {
      this.#observe(draft, properties);
      this.#host.send(this.#event(draft, draft.event, properties));
      return this.#host.mayHaveSiblings(draft) ? this.#sendSiblings(leanOf(draft), properties) : undefined;
    }
    const lean = leanOf(draft);
    lean.pendingIntent = needsIntent ? draft.pendingIntent : undefined;
    const weight = jsonByteLength(properties) + 2 * (draft.failure?.message?.length ?? 0);
    if (!this.#queue.hold(weight)) {
      this.#hooks.warnOnce(
        'bytes',
        `MCP events waiting on hooks hold over ${MAX_WAITING_BYTES} bytes; new ones are dropped`,
      );
      return undefined;
    }
    return this.#complete(lean, properties).finally(() => this.#queue.release(weight));
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
    if (!(await this.#send(draft, draft.event, properties))) return;
    if (this.#host.mayHaveSiblings(draft)) await this.#sendSiblings(draft, properties);
  }

  /** A sibling goes only with its event: dropping a call in `beforeSend` drops its `$exception` and `$ai_span`. */
  async #sendSiblings(draft: EventDraft, properties: JsonObject): Promise<void> {
    for (const sibling of await this.#host.siblings(draft, properties)) {
      await this.#send(draft, sibling.event, sibling.properties);
    }
  }

  #observe(draft: EventDraft, properties: JsonObject): void {
    try {
      this.#host.observe?.(draft, properties);
    } catch (error) {
      this.#host.options.logger.error(`diagnostics failed for ${draft.event}: ${describeError(error)}`);
    }
  }

  /** Sends at once without a `beforeSend` hook; with one, resolves whether the hook kept the event. */
  #send(draft: EventDraft, name: string, properties: JsonObject): boolean | Promise<boolean> {
    if (!this.#hooks.hasBeforeSend) {
      this.#host.send(this.#event(draft, name, properties));
      return true;
    }
    // The size bound always runs as the event is enqueued (posthog-node's additions included); it runs here too
    // only when a `beforeSend` hook must see the event bounded, so the common case serializes once, not twice.
    const bounded = boundProperties(properties, { required: REQUIRED });
    return this.#hooks.beforeSend(this.#event(draft, name, bounded)).then((kept) => {
      if (kept) this.#host.send(kept);
      return kept !== undefined;
    });
  }

  #event(draft: EventDraft, name: string, properties: JsonObject): MCPEvent {
    const event: MCPEvent = {
      event: name,
      distinctId: draft.distinctId,
      properties,
      timestamp: draft.timestamp,
      uuid: uuidv7(),
    };
    if (draft.groups) event.groups = draft.groups;
    return event;
  }
}

/** What a waiting event keeps of its draft: never the raw properties, arguments and results. */
function leanOf(draft: EventDraft): EventDraft {
  return {
    event: draft.event,
    distinctId: draft.distinctId,
    properties: {},
    groups: draft.groups,
    timestamp: draft.timestamp,
    sessionSource: draft.sessionSource,
    identified: draft.identified,
    nameIsRegistered: draft.nameIsRegistered,
    failure: draft.failure,
  };
}
