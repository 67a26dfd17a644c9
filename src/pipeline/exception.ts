import type { PostHog } from 'posthog-node';
import { PROP } from '../events';
import type { JsonObject } from '../safe-object';
import { ownTypeName } from './failure';
import { MAX_TEXT_CHARS } from './limits';
import { sanitizeText } from './sanitize';

type ErrorPropertiesBuilder = ReturnType<PostHog['getErrorPropertiesBuilder']>;
type ExceptionList = Awaited<ReturnType<ErrorPropertiesBuilder['modifyFrames']>>;

/** Most distinct errors whose built `$exception_list` a client keeps. */
export const MAX_CACHED_EXCEPTIONS = 100;

/**
 * Built `$exception_list`s as JSON, by error signature: the same failure recurs with the same stack, and
 * parsing it and reading source context is the costly part of an `$exception`.
 */
export interface ExceptionListCache {
  get(key: string): Promise<string> | undefined;
  set(key: string, value: Promise<string>): unknown;
  delete(key: string): unknown;
}

/** Type, message and stack of a plain thrown `Error` (no cause, not an aggregate); else `undefined`. */
function signatureOf(error: unknown): string | undefined {
  try {
    if (!(error instanceof Error) || error instanceof AggregateError || error.cause !== undefined)
      return undefined;
    const { stack, name, message } = error;
    return typeof stack === 'string'
      ? [error.constructor?.name, name, message, stack].join('\u0000')
      : undefined;
  } catch {
    return undefined;
  }
}

async function buildList(
  builder: ErrorPropertiesBuilder,
  input: unknown,
  synthetic: boolean,
): Promise<ExceptionList> {
  const built = builder.buildFromUnknown(input, { mechanism: { type: 'mcp', handled: true, synthetic } });
  return builder.modifyFrames(built.$exception_list);
}

async function cachedList(
  builder: ErrorPropertiesBuilder,
  error: unknown,
  cache: ExceptionListCache,
  key: string,
): Promise<ExceptionList> {
  let json = cache.get(key);
  if (json === undefined) {
    json = buildList(builder, error, false).then((list) => JSON.stringify(list));
    cache.set(key, json);
    json.catch(() => cache.delete(key));
  }
  // A fresh copy per event, so a hook editing one event's frames never reaches another.
  return JSON.parse(await json) as ExceptionList;
}

/** Builds `$exception_list` with posthog-node's own error-tracking builder; messages are sanitized. */
export async function exceptionProperties(
  builder: ErrorPropertiesBuilder,
  error: unknown,
  synthetic: boolean,
  message: string | undefined,
  cache?: ExceptionListCache,
): Promise<JsonObject> {
  const input = synthetic
    ? Object.assign(new Error(message ?? 'The tool returned an error result'), { stack: undefined })
    : error;
  const key = synthetic || cache === undefined ? undefined : signatureOf(error);
  const list =
    key === undefined || cache === undefined
      ? await buildList(builder, input, synthetic)
      : await cachedList(builder, error, cache, key);
  // posthog-node types by `name`; a subclass that keeps the name `Error` is typed by its constructor.
  const first = list[0];
  if (!synthetic && first?.type === 'Error' && typeof error === 'object' && error !== null) {
    first.type = ownTypeName(error) ?? first.type;
  }
  for (const entry of list) {
    if (typeof entry.value === 'string') entry.value = sanitizeText(entry.value, MAX_TEXT_CHARS);
  }
  return { [PROP.exceptionList]: list };
}
