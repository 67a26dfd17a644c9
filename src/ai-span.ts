import type { SiblingEvent } from './emitter';
import { EVENT, PROP } from './events';
import type { ResolvedOptions } from './options';
import { REQUEST_KEYS } from './request/request-facts';
import type { JsonObject } from './safe-object';

/** Prefix of `$ai_session_id`, so LLM analytics groups a session's traces apart from the agent's own. */
export const AI_SESSION_PREFIX = 'posthog_mcp_analytics_';

/** Keys an `$ai_span` copies from its call: the request's (identity, session, client, server, trace) and the tool. */
const SHARED_WITH_SPAN = [PROP.toolName, ...REQUEST_KEYS];

/** Random words drawn in bulk: one `getRandomValues` per 256 span ids instead of one per id. */
const POOL = new Uint32Array(512);
let cursor = POOL.length;

function refill(): void {
  cursor = 0;
  try {
    const source = (globalThis as { crypto?: { getRandomValues?: (array: Uint32Array) => unknown } }).crypto;
    if (typeof source?.getRandomValues === 'function') {
      source.getRandomValues(POOL);
      return;
    }
  } catch {
    // A runtime that refuses (or lacks) a cryptographic source gets the weaker one below: ids need only be unique.
  }
  for (let i = 0; i < POOL.length; i++) POOL[i] = Math.floor(Math.random() * 0x1_0000_0000);
}

const hex8 = (word: number): string => word.toString(16).padStart(8, '0');

/** A fresh span id: 16 lowercase random hex digits (the W3C span-id shape, never all zero). */
export function newSpanId(): string {
  if (cursor + 2 > POOL.length) refill();
  const high = POOL[cursor++] ?? 0;
  const low = POOL[cursor++] ?? 0;
  return high === 0 && low === 0 ? newSpanId() : hex8(high) + hex8(low);
}

/**
 * The trace ids a tool call carries under `aiTracing`, decided before the call is sent: the trace of its
 * `traceparent` (`$trace_id`) with the caller's span as parent, else a trace per `$session_id`.
 */
export function spanIdentity(call: JsonObject): JsonObject {
  const traceId = call[PROP.traceId];
  const fromCaller = typeof traceId === 'string';
  return {
    [PROP.aiTraceId]: fromCaller ? traceId : call[PROP.sessionId],
    [PROP.aiSpanId]: newSpanId(),
    [PROP.aiParentId]: fromCaller ? call[PROP.spanId] : undefined,
  };
}

/** What the span says went in: what the call discloses under `captureParameters`. */
function inputState(call: JsonObject, options: ResolvedOptions): unknown {
  const mode = options.captureParameters;
  if (mode === true) return call[PROP.parameters];
  return mode === 'keys' ? call[PROP.inputKeys] : undefined;
}

/**
 * The `$ai_span` sibling of a tool call, built from the call's sanitized properties (no second sanitize);
 * `undefined` when the call carries no span id (it was not built under `aiTracing`).
 */
export function aiSpanOf(call: JsonObject, options: ResolvedOptions): SiblingEvent | undefined {
  const spanId = call[PROP.aiSpanId];
  if (typeof spanId !== 'string') return undefined;
  const properties: JsonObject = {};
  for (const key of SHARED_WITH_SPAN) if (call[key] !== undefined) properties[key] = call[key];
  const duration = call[PROP.durationMs];
  const failed = call[PROP.isError] === true;
  const session = call[PROP.sessionId];
  Object.assign(properties, {
    [PROP.aiTraceId]: call[PROP.aiTraceId],
    [PROP.aiSpanId]: spanId,
    [PROP.aiParentId]: call[PROP.aiParentId],
    [PROP.aiSpanName]: call[PROP.toolName],
    [PROP.aiLatency]: typeof duration === 'number' && Number.isFinite(duration) ? duration / 1000 : undefined,
    [PROP.aiIsError]: failed,
    [PROP.aiError]: failed ? (call[PROP.errorMessage] ?? call[PROP.errorType]) : undefined,
    [PROP.aiInputState]: inputState(call, options),
    [PROP.aiOutputState]: options.captureResponse ? call[PROP.response] : undefined,
    [PROP.aiSessionId]: typeof session === 'string' ? `${AI_SESSION_PREFIX}${session}` : undefined,
  });
  for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];
  return { event: EVENT.aiSpan, properties };
}
