import { PROP } from '../events';

/** The part of a wire event the summary reads (a `SinkEvent` or a line of an events JSONL file). */
export interface SummaryInputEvent {
  event: string;
  properties?: Record<string, unknown>;
}

/** Session ids are shown as their prefix and last characters: `ses_<UUIDv7>` ids differ only at the end. */
const SESSION_TAIL_CHARS = 8;
const SHORT_SESSION_CHARS = 4 + 1 + SESSION_TAIL_CHARS;
const MAX_INTENT_CHARS = 60;
/** Longest tool or event name shown; a longer one is shortened with an ellipsis. */
export const MAX_SHOWN_NAME_CHARS = 48;

/** A non-empty string property of an event. */
export function readString(event: SummaryInputEvent, key: string): string | undefined {
  const value = event.properties?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A finite number property of an event. */
export function readNumber(event: SummaryInputEvent, key: string): number | undefined {
  const value = event.properties?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Characters a terminal could act on or reorder: C0 and C1 controls and DEL, bidirectional overrides,
 * embeddings and isolates, line and paragraph separators, and (in `u` mode) lone surrogates.
 */
const TERMINAL_UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text safe to print to a terminal: each character in {@link TERMINAL_UNSAFE} becomes its `\uXXXX` escape,
 * so event data cannot move the cursor, retitle the window, hide text or reorder a line.
 *
 * @example
 * escapeTerminalText('a\u001b[2Jb'); // 'a\\u001b[2Jb'
 */
export function escapeTerminalText(text: string): string {
  return text.replace(
    TERMINAL_UNSAFE,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** One line of at most `max` characters, an ellipsis marking a cut. */
export function clip(text: string, max: number): string {
  // Only the start of a long text can be shown: the rest is never scanned.
  const scanned = 4 * max + 64;
  const oneLine = text.slice(0, scanned).replace(/\s+/g, ' ').trim();
  return oneLine.length <= max && text.length <= scanned ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** A duration in milliseconds, rounded for reading; `-` when unknown. */
export function formatMs(value: number | undefined): string {
  if (value === undefined) return '-';
  return value >= 100 ? `${Math.round(value)}` : `${Math.round(value * 10) / 10}`;
}

function shortSession(id: string): string {
  return id.length <= SHORT_SESSION_CHARS ? id : `${id.slice(0, 4)}…${id.slice(-SESSION_TAIL_CHARS)}`;
}

/** The type of the first exception of an `$exception` event. */
function exceptionType(event: SummaryInputEvent): string | undefined {
  const list = event.properties?.[PROP.exceptionList];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  const type = typeof first === 'object' && first !== null ? (first as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type !== '' ? type : undefined;
}

/** The outcome of an event: `ok`, the error or exception type, then who erred, an empty result and repeats. */
function outcomeOf(event: SummaryInputEvent): string {
  const isError = event.properties?.[PROP.isError];
  const base = readString(event, PROP.errorType) ?? exceptionType(event) ?? (isError === false ? 'ok' : '-');
  const origin = readString(event, PROP.errorOrigin);
  const repeats = readNumber(event, PROP.repeatCount) ?? 0;
  const flags = [
    clip(base, MAX_SHOWN_NAME_CHARS),
    origin === undefined ? '' : `(${clip(origin, 8)})`,
    event.properties?.[PROP.emptyResult] === true ? 'empty' : '',
    repeats > 0 ? `repeat ×${repeats}` : '',
  ];
  return flags.filter((flag) => flag !== '').join(' ');
}

/**
 * Formats one event as a single readable line: name, tool, short session, duration, outcome (error type, who
 * erred, an empty result, repeats) and intent, names shortened and each text escaped with
 * {@link escapeTerminalText}.
 *
 * @example
 * formatEventLine(event); // '$mcp_tool_call   search_docs   ses_…ad6c65a0   4.2 ms  ok   "find the refund policy"'
 */
export function formatEventLine(event: SummaryInputEvent): string {
  const tool =
    readString(event, PROP.toolName) ??
    readString(event, PROP.resourceName) ??
    readString(event, PROP.promptName);
  const session = readString(event, PROP.sessionId);
  const duration = readNumber(event, PROP.durationMs);
  const intent = readString(event, PROP.intent) ?? readString(event, PROP.feedbackSummary);
  return [
    escapeTerminalText(clip(event.event, MAX_SHOWN_NAME_CHARS)).padEnd(24),
    escapeTerminalText(clip(tool ?? '-', MAX_SHOWN_NAME_CHARS)).padEnd(17),
    escapeTerminalText(session ? shortSession(session) : '-').padEnd(SHORT_SESSION_CHARS),
    `${duration === undefined ? '-' : `${formatMs(duration)} ms`}`.padStart(9),
    escapeTerminalText(outcomeOf(event)).padEnd(13),
    intent ? escapeTerminalText(JSON.stringify(clip(intent, MAX_INTENT_CHARS))) : '',
  ]
    .join('  ')
    .trimEnd();
}
