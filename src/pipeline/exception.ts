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
  /**
   * True when no hook can edit a sent event: a recurring list is then parsed once and shared, frozen, between
   * events instead of copied per event. @default false
   */
  share?: boolean | undefined;
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
    template: errorOf({ type, message: '', frames }),
    message,
  };
}

/** Longest list JSON parsed once and shared; longer ones (rare: source context of many frames) are parsed per event. */
const MAX_SHARED_JSON_CHARS = 16_384;
/** Lists parsed once, by their JSON: at most 16 of at most 16,384 characters each. */
const sharedLists = new Map<string, JsonObject[]>();
const MAX_SHARED_LISTS = 16;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/**
 * The list in `json`: a fresh copy when a hook could edit one event's frames (it must never reach another),
 * else one frozen parse shared by every event with the same JSON.
 */
function parseList(json: string, share: boolean): JsonObject[] {
  if (!share || json.length > MAX_SHARED_JSON_CHARS) return JSON.parse(json) as JsonObject[];
  let list = sharedLists.get(json);
  if (list === undefined) {
    list = deepFreeze(JSON.parse(json) as JsonObject[]);
    if (sharedLists.size >= MAX_SHARED_LISTS) sharedLists.delete(sharedLists.keys().next().value as string);
  } else sharedLists.delete(json);
  sharedLists.set(json, list);
  return list;
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
  share: boolean,
): Promise<JsonObject[] | undefined> {
  const json = await cache.get(lone.signature, () => buildTemplateJson(builder, lone));
  if (json === '') return undefined;
  const list = parseList(json, share);
  const [entry, ...rest] = list;
  if (entry === undefined) return undefined;
  return [{ ...entry, value: sanitizeText(lone.message, MAX_TEXT_CHARS) }, ...rest];
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
    const list =
      lone && options.cache
        ? await fromTemplate(builder, lone, options.cache, options.share === true)
        : undefined;
    if (list) return { [PROP.exceptionList]: list };
    json = options.cache
      ? await options.cache.get(signature, () => buildListJson(builder, root, false))
      : await buildListJson(builder, root, false);
  }
  return { [PROP.exceptionList]: parseList(json, options.share === true) };
}
