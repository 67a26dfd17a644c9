import type { PostHog } from 'posthog-node';
import { PROP } from '../events';
import type { JsonObject } from '../types';
import { ownTypeName } from './failure';
import { MAX_TEXT_CHARS } from './limits';
import { sanitizeText } from './sanitize';

type ErrorPropertiesBuilder = ReturnType<PostHog['getErrorPropertiesBuilder']>;

/** Builds `$exception_list` with posthog-node's own error-tracking builder; messages are sanitized. */
export async function exceptionProperties(
  builder: ErrorPropertiesBuilder,
  error: unknown,
  synthetic: boolean,
  message: string | undefined,
): Promise<JsonObject> {
  const input = synthetic
    ? Object.assign(new Error(message ?? 'The tool returned an error result'), { stack: undefined })
    : error;
  const built = builder.buildFromUnknown(input, { mechanism: { type: 'mcp', handled: true, synthetic } });
  const list = await builder.modifyFrames(built.$exception_list);
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
