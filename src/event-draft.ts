import type { RawSizes } from './pipeline/raw-size';
import type { RequestFacts, SessionSource } from './request/request-facts';
import { copyMembers } from './safe-object';
import type { JsonObject } from './types';

/** What an `$exception` sibling is built from: the thrown value, or the text of an `isError` result. */
export interface DraftFailure {
  error: unknown;
  /** True when nothing was thrown (an `isError` result or a failed status). */
  synthetic: boolean;
  message: string | undefined;
  /** The synthetic exception's type, when not a plain `Error` (a JSON-RPC error answer). */
  type?: string | undefined;
}

/** A tool call's raw values, measured off the request path: schema hash and token estimates. */
export interface DraftMeasure {
  descriptor: object | undefined;
  input: unknown;
  output: unknown;
  /** A `tools/list` page's tools as the client receives them, for the catalog cost (then the rest is unset). */
  catalog?: readonly unknown[] | undefined;
  /** Raw sizes of the input and response that sanitizing their payloads took on the way (set by the emitter). */
  sizes?: RawSizes | undefined;
}

/**
 * An event as the request path leaves it: already in the shape handed to `capture()`, with raw property
 * values that the deferred stage sanitizes, measures and bounds in place.
 */
export interface EventDraft {
  event: string;
  distinctId: string;
  properties: JsonObject;
  groups: Record<string, string | number> | undefined;
  timestamp: Date;
  sessionSource: SessionSource;
  identified: boolean;
  /** False when `$mcp_tool_name` is not known to be a registered tool (then it is free text). */
  nameIsRegistered: boolean;
  /** The caller's extra `properties`; this package's own win. */
  extraProperties?: unknown;
  /** An intent still being inferred by `intentFallback`. */
  pendingIntent?: Promise<unknown> | undefined;
  /** A failed call: the `$exception` sibling's source. */
  failure?: DraftFailure | undefined;
  measure?: DraftMeasure | undefined;
}

/**
 * Starts an event from its request's facts; the builder then adds the event's own properties. With `owned`
 * (facts resolved for this one event, as a finished call's are) the draft takes their properties instead of a copy.
 */
export function startDraft(event: string, facts: RequestFacts, timestamp: Date, owned = false): EventDraft {
  return {
    event,
    distinctId: facts.distinctId,
    properties: owned ? facts.properties : copyMembers(facts.properties),
    groups: facts.groups,
    timestamp,
    sessionSource: facts.sessionSource,
    identified: facts.identified,
    nameIsRegistered: true,
  };
}
