import type { PostHog } from 'posthog-node';
import { PROP } from '../events';
import type { JsonObject } from '../safe-object';
import { MAX_EXCEPTION_LIST_BYTES, shrinkExceptionList } from './exception-bound';
import type { ExceptionListCache } from './exception-cache';
import { type ExceptionList, modifyFrames, redactExceptionList } from './exception-frames';
import { rebuildThrown, syntheticInput } from './exception-input';

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
  return JSON.stringify(shrinkExceptionList(list, MAX_EXCEPTION_LIST_BYTES));
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
    json = options.cache
      ? await options.cache.get(signature, () => buildListJson(builder, root, false))
      : await buildListJson(builder, root, false);
  }
  // A fresh copy per event, so a hook editing one event's frames never reaches another.
  return { [PROP.exceptionList]: JSON.parse(json) as JsonObject[] };
}
