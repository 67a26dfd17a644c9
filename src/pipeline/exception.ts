import type { PostHog } from 'posthog-node';
import { PROP } from '../events';
import type { JsonObject } from '../safe-object';
import { MAX_EXCEPTION_LIST_BYTES, shrunkExceptionListJson } from './exception-bound';
import type { ExceptionListCache } from './exception-cache';
import { type ExceptionList, modifyFrames, redactExceptionList } from './exception-frames';
import { errorOf, rebuildThrown, syntheticInput } from './exception-input';
import { MAX_TEXT_CHARS } from './limits';
import { sanitizeText } from './sanitize';

export { ExceptionListCache, MAX_CACHED_EXCEPTION_BYTES, MAX_CACHED_EXCEPTIONS } from './exception-cache';

type ErrorPropertiesBuilder = ReturnType<PostHog['getErrorPropertiesBuilder']>;

/** Options of `exceptionProperties`. */
export interface ExceptionPropertiesOptions {
  /** True for a failure with no thrown error (an `isError` result): a bare error with `message`. */
  synthetic: boolean;
  /** The failure's message, used for a synthetic error. */
  message: string | undefined;
  /** The synthetic error's type. @default 'Error' */
  type?: string | undefined;
  /** Where built lists are kept by signature; none builds every time. */
  cache?: ExceptionListCache | undefined;
}

/**
 * Builds the list with posthog-node's builder from the rebuilt input, reads source context for script files
 * only, redacts every string and bounds the result; returned as JSON, the form the cache keeps.
 */
async function buildListJson(
  builder: ErrorPropertiesBuilder,
  root: unknown,
  synthetic: boolean,
): Promise<string> {
  const built = builder.buildFromUnknown(root, { mechanism: { type: 'mcp', handled: true, synthetic } });
  const list: ExceptionList = await modifyFrames(builder, built.$exception_list);
  redactExceptionList(list);
  return shrunkExceptionListJson(list, MAX_EXCEPTION_LIST_BYTES);
}

/** A lone thrown error split into what its `$exception_list` is built from once and the per-event message. */
interface LoneError {
  /** The cache key's source: the type and frame lines, length-prefixed (apart from whole errors' keys). */
  signature: string;
  /** The rebuilt error with an empty message, for posthog-node's builder. */
  template: Error;
  /** The message (cut, not yet redacted). */
  message: string;
}

/** A rebuilt error with no cause and no members: its entry's only per-event field is then its message. */
function loneOf(root: unknown): LoneError | undefined {
  if (!(root instanceof Error) || 'cause' in root || 'errors' in root) return undefined;
  const { name: type, stack: frames = '', message } = root;
  return {
    signature: `lone:${type.length}:${type}${frames.length}:${frames}`,
    template: errorOf(type, '', frames, undefined),
    message,
  };
}

/** Worst compact UTF-8 JSON of a redacted message: `MAX_TEXT_CHARS` UTF-16 units at six bytes (`\u001f`). */
const MAX_VALUE_JSON_BYTES = MAX_TEXT_CHARS * 6;

/**
 * A lone error's list, built once per type and frames with an empty message: `''` when it would not fit the
 * bound with any message (that error is then built whole, so the bound shrinks it as usual).
 */
async function buildTemplateJson(builder: ErrorPropertiesBuilder, lone: LoneError): Promise<string> {
  const json = await buildListJson(builder, lone.template, false);
  return Buffer.byteLength(json, 'utf8') + MAX_VALUE_JSON_BYTES <= MAX_EXCEPTION_LIST_BYTES ? json : '';
}

/** A lone error's list from the cached template and this error's redacted message, or undefined without one. */
async function fromTemplate(
  builder: ErrorPropertiesBuilder,
  lone: LoneError,
  cache: ExceptionListCache,
): Promise<JsonObject[] | undefined> {
  const json = await cache.get(lone.signature, () => buildTemplateJson(builder, lone));
  if (json === '') return undefined;
  const list = JSON.parse(json) as JsonObject[];
  const [entry] = list;
  if (entry === undefined) return undefined;
  entry.value = sanitizeText(lone.message, MAX_TEXT_CHARS);
  return list;
}

/**
 * The `$exception_list` of a failure, built with posthog-node's error-tracking builder from a rebuilt copy of
 * the thrown value: frames come only from V8's stack below each error's own header, no file is opened but
 * the scripts those frames name, and every string passes the secret redaction. At most
 * `MAX_EXCEPTION_LIST_BYTES` of JSON.
 */
export async function exceptionProperties(
  builder: ErrorPropertiesBuilder,
  error: unknown,
  options: ExceptionPropertiesOptions,
): Promise<JsonObject> {
  let json: string;
  if (options.synthetic) {
    json = await buildListJson(builder, syntheticInput(options.message, options.type), true);
  } else {
    const { root, signature } = rebuildThrown(error);
    const lone = loneOf(root);
    // A lone error's frames are built once per throw site, whatever its message.
    const list = lone && options.cache ? await fromTemplate(builder, lone, options.cache) : undefined;
    if (list) return { [PROP.exceptionList]: list };
    json = options.cache
      ? await options.cache.get(signature, () => buildListJson(builder, root, false))
      : await buildListJson(builder, root, false);
  }
  // A fresh copy per event, so a hook editing one event's frames never reaches another.
  return { [PROP.exceptionList]: JSON.parse(json) as JsonObject[] };
}
