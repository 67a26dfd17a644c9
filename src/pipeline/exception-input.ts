import { readProperty } from '../safe-object';
import { ownTypeName } from './failure';
import { MAX_NAME_CHARS, MAX_TEXT_CHARS, SCAN_MARGIN_CHARS } from './limits';
import { cutText } from './sanitize';

/** Most values (the thrown one, its causes and aggregate members) read from one thrown value. */
export const MAX_EXCEPTION_ERRORS = 50;

const MAX_MEMBER_READS = 1_000;
const MAX_FRAME_LINES = 50;
const MAX_FRAME_LINE_CHARS = 1_024;
/**
 * posthog-node's frame pattern backtracks quadratically in a line's length (about 2 ns per squared character),
 * so the frame lines of one thrown value are bounded by the sum of their squared lengths: about 10 ms of parsing.
 */
const MAX_FRAME_PARSE_COST = 4_000_000;
const MAX_OBJECT_KEYS = 20;
/** One character past what `sanitizeText` scans, so it still knows the text was longer. */
const MESSAGE_CHARS = MAX_TEXT_CHARS + SCAN_MARGIN_CHARS + 1;
/** A stack line as V8 writes a frame: four spaces, `at`, then the frame. */
const V8_FRAME_LINE = /^ {4}at \S/;

/**
 * A thrown value rebuilt from data alone, for posthog-node's builder: errors of this package whose `stack`
 * holds only the frames V8 wrote below the error's own header, never text from a message, name or reason.
 */
export interface ThrownInput {
  /** The rebuilt value handed to `buildFromUnknown`. */
  root: unknown;
  /** Everything the built `$exception_list` depends on, length-prefixed: the cache key's source. */
  signature: string;
}

interface Walk {
  readonly seen: Set<object>;
  readonly parts: string[];
  count: number;
  /** What is left of `MAX_FRAME_PARSE_COST`. */
  parseCost: number;
}

function safeString(value: unknown): string | undefined {
  try {
    return String(value);
  } catch {
    return undefined;
  }
}

/** The headers V8 may have written at the top of `stack`: `name: message`, and Node's `name [code]: message`. */
function headersOf(error: object): string[] {
  const rawName = readProperty(error, 'name');
  const rawMessage = readProperty(error, 'message');
  const name = rawName === undefined ? 'Error' : safeString(rawName);
  const message = rawMessage === undefined ? '' : safeString(rawMessage);
  if (name === undefined || message === undefined) return [];
  if (name === '' || message === '') return [name === '' ? message : name];
  const code = readProperty(error, 'code');
  const coded = typeof code === 'string' || typeof code === 'number' ? [`${name} [${code}]: ${message}`] : [];
  return [`${name}: ${message}`, ...coded];
}

/**
 * The frame lines of `stack` below the error's own header, however many lines that header spans; none when
 * the stack does not start with the header (a rewritten `stack` or `message`), since then nothing tells the
 * message's text from V8's frames. Lines stop at the first that is not a V8 frame (appended cause text), and
 * within `maxParseCost` (with the cost spent).
 */
export function realFrameLines(
  error: object,
  maxParseCost = MAX_FRAME_PARSE_COST,
): { frames: string; parseCost: number } {
  const none = { frames: '', parseCost: 0 };
  const stack = readProperty(error, 'stack');
  if (typeof stack !== 'string') return none;
  const header = headersOf(error).find(
    (candidate) =>
      stack.startsWith(candidate) && (stack.length === candidate.length || stack[candidate.length] === '\n'),
  );
  if (header === undefined) return none;
  const lines: string[] = [];
  let at = header.length + 1;
  let cost = 0;
  while (at < stack.length && lines.length < MAX_FRAME_LINES) {
    const newline = stack.indexOf('\n', at);
    const end = newline < 0 ? stack.length : newline;
    const lineCost = (end - at) ** 2;
    if (end - at > MAX_FRAME_LINE_CHARS || cost + lineCost > maxParseCost) break;
    const line = stack.slice(at, end);
    if (!V8_FRAME_LINE.test(line)) break;
    lines.push(line);
    cost += lineCost;
    at = end + 1;
  }
  return { frames: lines.join('\n'), parseCost: cost };
}

function isErrorLike(value: unknown): value is object {
  try {
    if (value instanceof Error) return true;
  } catch {
    // A proxy whose prototype trap throws is checked by its tag below.
  }
  try {
    return Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false;
  }
}

function record(walk: Walk, ...values: string[]): void {
  for (const value of values) walk.parts.push(`${value.length}:${value}`);
}

function aggregateMembers(error: object, type: string): unknown[] | undefined {
  let isAggregate = type === 'AggregateError';
  try {
    isAggregate ||= error instanceof AggregateError;
  } catch {
    // Not an aggregate as far as can be told.
  }
  const errors = isAggregate ? readProperty(error, 'errors') : undefined;
  return Array.isArray(errors) ? errors : undefined;
}

function rebuildMembers(errors: unknown[], walk: Walk): unknown[] {
  const members: unknown[] = [];
  let length = 0;
  try {
    length = errors.length;
  } catch {
    return members;
  }
  for (
    let index = 0;
    index < Math.min(length, MAX_MEMBER_READS) && walk.count < MAX_EXCEPTION_ERRORS;
    index++
  ) {
    const member = rebuild(readProperty(errors, String(index)), walk);
    if (member !== undefined) members.push(member);
  }
  return members;
}

function rebuildError(error: object, walk: Walk): Error {
  const rawMessage = readProperty(error, 'message');
  const message = cutText(
    typeof rawMessage === 'string' ? rawMessage : (safeString(rawMessage ?? '') ?? ''),
    MESSAGE_CHARS,
  );
  const type = cutText(ownTypeName(error) ?? 'Error', MAX_NAME_CHARS + SCAN_MARGIN_CHARS);
  const { frames, parseCost } = realFrameLines(error, walk.parseCost);
  walk.parseCost -= parseCost;
  record(walk, 'error', type, message, frames);
  const cause = readProperty(error, 'cause');
  record(walk, 'cause');
  const rebuiltCause = cause ? rebuild(cause, walk) : undefined;
  const errors = aggregateMembers(error, type);
  record(walk, 'members');
  const members = errors ? rebuildMembers(errors, walk) : undefined;
  record(walk, 'end');
  return errorOf({ type, message, frames }, { cause: rebuiltCause, members });
}

/**
 * An error-shaped object for posthog-node's builder (`instanceof Error`, or `AggregateError` with members).
 * Not constructed: an `Error` would capture a stack of its own, and setting `stack` on one formats it.
 */
export function errorOf(
  head: { type: string; message: string; frames: string },
  nested: { cause?: unknown; members?: unknown[] | undefined } = {},
): Error {
  const { type, message, frames } = head;
  const { cause, members } = nested;
  const out = Object.create(members ? AggregateError.prototype : Error.prototype) as Record<string, unknown>;
  out.name = type;
  out.message = message;
  out.stack = frames;
  if (cause !== undefined) out.cause = cause;
  if (members) out.errors = members;
  return out as unknown as Error;
}

/** A thrown non-error object, copied without its `stack`: its name and message, or only its key names. */
function rebuildObject(value: object, walk: Walk): unknown {
  let keys: string[] = [];
  try {
    keys = Object.keys(value).slice(0, MAX_OBJECT_KEYS);
  } catch {
    // A proxy whose key trap throws is described by its name and message alone.
  }
  for (const key of keys) {
    const member = readProperty(value, key);
    if (isErrorLike(member)) return rebuild(member, walk);
  }
  const copy: Record<string, unknown> = {};
  for (const key of ['name', 'message']) {
    const text = readProperty(value, key);
    if (typeof text === 'string') copy[key] = cutText(text, MESSAGE_CHARS);
  }
  if (Object.keys(copy).length === 0) for (const key of keys) copy[cutText(key, MAX_NAME_CHARS)] = null;
  record(walk, 'object', ...Object.keys(copy), ...Object.values(copy).map((text) => String(text)));
  return copy;
}

function rebuild(value: unknown, walk: Walk): unknown {
  if (walk.count >= MAX_EXCEPTION_ERRORS) return undefined;
  if (typeof value === 'object' && value !== null) {
    if (walk.seen.has(value)) return undefined;
    walk.seen.add(value);
    walk.count++;
    return isErrorLike(value) ? rebuildError(value, walk) : rebuildObject(value, walk);
  }
  walk.count++;
  const text =
    typeof value === 'string'
      ? cutText(value, MESSAGE_CHARS)
      : typeof value === 'function'
        ? '[function]'
        : value;
  record(walk, typeof value, typeof text === 'string' ? text : (safeString(text) ?? ''));
  return text;
}

/** Rebuilds a thrown value (see `ThrownInput`); never throws, whatever getters or proxies it meets. */
export function rebuildThrown(error: unknown): ThrownInput {
  const walk: Walk = { seen: new Set(), parts: [], count: 0, parseCost: MAX_FRAME_PARSE_COST };
  const root = rebuild(error, walk);
  return { root, signature: walk.parts.join('') };
}

/** The input for a failure with no thrown error (an `isError` result): a bare error with the message, no frames. */
export function syntheticInput(message: string | undefined, type = 'Error'): Error {
  return errorOf({
    type: cutText(type, MAX_NAME_CHARS),
    message: cutText(message ?? 'The tool returned an error result', MESSAGE_CHARS),
    frames: '',
  });
}
