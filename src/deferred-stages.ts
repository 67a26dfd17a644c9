import { aiSpanOf, spanIdentity } from './ai-span';
import type { SiblingEvent } from './emitter';
import type { EventDraft } from './event-draft';
import { EVENT, PROP, VALUE } from './events';
import type { ResolvedOptions } from './options';
import { isEmptyResult } from './pipeline/empty-result';
import {
  type ExceptionRateLimit,
  ExceptionRateLimiter,
  exceptionSignature,
} from './pipeline/exception-rate-limit';
import { isFaithfulCopy } from './pipeline/media';
import { REQUEST_KEYS } from './request/request-facts';
import type { JsonObject } from './safe-object';
import { RepeatTracker } from './session/repeat-tracker';
import { estimateTokens } from './token-estimate';
import { CatalogCosts, type ListedOrigin } from './tools/catalog-cost';
import { argsHash, ToolFingerprints, UNHASHABLE_SCHEMA } from './tools/tool-fingerprint';

/** Keys an `$exception` sibling copies from its call: the request's and the tool's. */
const SHARED_WITH_EXCEPTION = [PROP.toolName, PROP.conversationId, ...REQUEST_KEYS];

/** Builds an `$exception_list` and its companions for a failure. */
export type ExceptionBuilder = (failure: NonNullable<EventDraft['failure']>) => Promise<JsonObject>;

/**
 * The work done off the request path beside sanitizing: measuring a call (schema hash, token estimates, empty
 * result, repeats) and building its sibling events. Holds the bounded per-client state these need.
 */
export class DeferredStages {
  readonly #options: ResolvedOptions;
  readonly #buildException: ExceptionBuilder;
  readonly #fingerprints = new ToolFingerprints();
  readonly #repeats = new RepeatTracker();
  readonly #exceptionLimit: ExceptionRateLimiter | undefined;
  readonly #catalog: CatalogCosts;
  /** Tells apart calls whose arguments are too large to hash, so they never count as repeats of each other. */
  #unhashable = 0;

  constructor(
    options: ResolvedOptions,
    buildException: ExceptionBuilder,
    limit: ExceptionRateLimit | false,
    originOf: (tool: object) => ListedOrigin | undefined = () => undefined,
  ) {
    this.#options = options;
    this.#buildException = buildException;
    this.#exceptionLimit = limit === false ? undefined : new ExceptionRateLimiter(limit);
    this.#catalog = new CatalogCosts(this.#fingerprints, originOf);
  }

  /** A tool call's or a `tools/list` page's measured properties; `undefined` for other events. */
  measure(draft: EventDraft): JsonObject | undefined {
    const sources = draft.measure;
    if (!sources) return undefined;
    if (sources.catalog) return this.#measureCatalog(sources.catalog);
    const p = draft.properties;
    const sizes = sources.sizes;
    const response = p[PROP.response];
    const measured: JsonObject = {
      [PROP.toolSchemaHash]: sources.descriptor ? this.#fingerprints.hashOf(sources.descriptor) : undefined,
      [PROP.inputTokensEst]: estimateTokens(sources.input ?? {}, sizes?.bytesOf(sources.input)),
      [PROP.outputTokensEst]: estimateTokens(
        sources.output,
        isFaithfulCopy(response, sources.output) ? sizes?.bytesOf(response) : undefined,
      ),
    };
    if (p[PROP.isError] === false && sources.output !== undefined) {
      measured[PROP.emptyResult] = isEmptyResult(sources.output);
    }
    const session = p[PROP.sessionId];
    // Only a repeat count (with a session) or `$mcp_args_hash` needs the hash: without either, skip the walk.
    if (typeof session !== 'string' && this.#options.captureParameters !== true)
      return this.#finish(measured, p);
    const hash = argsHash(sources.input ?? {});
    if (typeof session === 'string') {
      if (hash === UNHASHABLE_SCHEMA) this.#unhashable += 1;
      const key = hash === UNHASHABLE_SCHEMA ? `${hash}${this.#unhashable}` : hash;
      measured[PROP.repeatCount] = this.#repeats.record(session, `${String(p[PROP.toolName])}\u0000${key}`);
    }
    if (this.#options.captureParameters === true) measured[PROP.argsHash] = hash;
    return this.#finish(measured, p);
  }

  #finish(measured: JsonObject, call: JsonObject): JsonObject {
    if (this.#options.aiTracing) Object.assign(measured, spanIdentity(call));
    return measured;
  }

  #measureCatalog(tools: readonly unknown[]): JsonObject {
    try {
      return this.#catalog.measure(tools);
    } catch {
      return {};
    }
  }

  /** False when {@link siblings} surely gives none for this draft, so its event need not wait for them. */
  mayHaveSiblings(draft: EventDraft): boolean {
    return this.#mayHaveException(draft) || this.#hasSpan(draft);
  }

  /** A failed call, with exception capture on: it may have an `$exception` (unless rate-limited). */
  #mayHaveException(draft: EventDraft): boolean {
    return draft.failure !== undefined && this.#options.mcpExceptionAutocapture;
  }

  /** A tool call under `aiTracing`: it has an `$ai_span`. */
  #hasSpan(draft: EventDraft): boolean {
    return this.#options.aiTracing && draft.event === EVENT.toolCall;
  }

  /** A sent call's siblings: its `$exception` (see {@link #exception}), then its `$ai_span` under `aiTracing`. */
  async siblings(draft: EventDraft, call: JsonObject): Promise<SiblingEvent[]> {
    const exception = await this.#exception(draft, call);
    const span = this.#hasSpan(draft) ? aiSpanOf(call, this.#options) : undefined;
    return span ? [...exception, span] : exception;
  }

  /** The `$exception` of a failed call (rate-limited per signature), when exception capture is on. */
  async #exception(draft: EventDraft, call: JsonObject): Promise<SiblingEvent[]> {
    const failure = draft.failure;
    if (!failure || !this.#mayHaveException(draft)) return [];
    const properties: JsonObject = {};
    for (const key of SHARED_WITH_EXCEPTION) if (call[key] !== undefined) properties[key] = call[key];
    const exception = await this.#buildException(failure);
    const admitted = this.#admit(call, exception);
    if (!admitted.send) return [];
    Object.assign(properties, exception, {
      [PROP.exceptionLevel]: VALUE.exceptionLevel,
      [PROP.exceptionSource]: VALUE.exceptionSource,
      [PROP.interface]: VALUE.interface,
    });
    if (admitted.suppressed > 0) properties[PROP.exceptionsSuppressed] = admitted.suppressed;
    return [{ event: EVENT.exception, properties }];
  }

  #admit(call: JsonObject, exception: JsonObject): { send: boolean; suppressed: number } {
    if (!this.#exceptionLimit) return { send: true, suppressed: 0 };
    const list = exception[PROP.exceptionList];
    const top = Array.isArray(list)
      ? (list[0] as { type?: unknown; value?: unknown } | undefined)
      : undefined;
    const signature = exceptionSignature(call[PROP.toolName], top?.type, top?.value);
    return this.#exceptionLimit.admit(signature, Date.now());
  }
}
