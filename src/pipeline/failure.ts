import { readProperty } from '../safe-object';
import { cutText } from './sanitize';

const MAX_CAUSE_DEPTH = 5;
const MAX_RESULT_TEXT_BLOCKS = 20;
const MAX_RESULT_TEXT_CHARS = 8_192;

/** An error's own type: its `name` unless generic, then its constructor's; `undefined` when generic. */
export function ownTypeName(error: object): string | undefined {
  const name = readProperty(error, 'name');
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  try {
    const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof constructorName === 'string' && constructorName !== '' && constructorName !== 'Error') {
      return constructorName === 'Object' ? undefined : constructorName;
    }
  } catch {
    // A hostile constructor getter leaves the type unknown.
  }
  return undefined;
}

/** The thrown value's own type: its `name` unless generic, then its constructor's, looking through causes. */
export function errorTypeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null) break;
    const own = ownTypeName(current);
    if (own !== undefined) return own;
    current = readProperty(current, 'cause');
  }
  return 'Error';
}

/** The thrown value's message, or the text of an `isError` result. */
export function errorMessageOf(error: unknown): string | undefined {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return error === undefined ? undefined : safeString(error);
  const message = readProperty(error, 'message');
  if (typeof message === 'string') return message;
  return resultText(error);
}

function safeString(value: unknown): string | undefined {
  try {
    return String(value);
  } catch {
    return undefined;
  }
}

/** The text blocks of a tool result joined by newlines, bounded; `undefined` when there are none. */
export function resultText(result: unknown): string | undefined {
  const content = readProperty(result, 'content');
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  let length = 0;
  for (
    let i = 0;
    i < Math.min(content.length, MAX_RESULT_TEXT_BLOCKS) && length < MAX_RESULT_TEXT_CHARS;
    i++
  ) {
    const block: unknown = content[i];
    if (readProperty(block, 'type') !== 'text') continue;
    const text = readProperty(block, 'text');
    if (typeof text !== 'string') continue;
    const part = cutText(text, MAX_RESULT_TEXT_CHARS - length);
    parts.push(part);
    length += part.length + 1;
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** True for a tool result flagged `isError: true`. */
export function isErrorResult(result: unknown): boolean {
  return readProperty(result, 'isError') === true;
}
