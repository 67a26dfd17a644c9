import {
  BINARY_PLACEHOLDER,
  MAX_NAME_CHARS,
  MAX_PAYLOAD_STRING_CHARS,
  MAX_TEXT_CHARS,
  SCAN_MARGIN_CHARS,
} from './limits';
import { memoizeText } from './memo';
import { isBinaryString, redactPersonalData, redactSecrets } from './redact';

/** The strings that stand in for values JSON cannot carry or the walk would not read. */
export const MARKER = {
  circular: '[circular]',
  maxDepth: '[max depth]',
  function: '[function]',
  symbol: '[symbol]',
  nonFinite: '[non-finite number]',
  invalidDate: '[invalid date]',
  unreadable: '[unreadable]',
} as const;

/** Options of `sanitizeText`. */
export interface SanitizeTextOptions {
  /** Also redact personal data (emails, IP addresses, cards, SSNs, phone numbers). @default false */
  freeText?: boolean;
}

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/** Whether a string has no lone surrogate (natively: Node 20 has `String.prototype.isWellFormed`). */
export const isWellFormed = (text: string): boolean => (text as unknown as WellFormed).isWellFormed();

/** Replaces each lone surrogate with U+FFFD (natively: Node 20 has `String.prototype.toWellFormed`). */
const toWellFormed = (text: string): string =>
  isWellFormed(text) ? text : (text as unknown as WellFormed).toWellFormed();

/** Keeps at most `limit` UTF-16 units from the start, never ending on half a surrogate pair. */
export function cutText(text: string, limit: number): string {
  const end = Math.max(0, Math.floor(limit));
  return text.length <= end ? text : detached(sliceWhole(text, end));
}

/** The first `end` units, or one fewer rather than half a surrogate pair; may share the memory of `text`. */
function sliceWhole(text: string, end: number): string {
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/**
 * A copy of a cut that keeps no hold on the string it was cut from. A slice shares its source's memory, so an event
 * keeping 32 KB of a 1 MB result would keep the whole megabyte until it is sent; joining one character forces a
 * fresh copy of the cut, and slicing that character off again leaves the copy alone.
 */
function detached(cut: string): string {
  return `${cut} `.slice(0, -1);
}

/** Sanitizes one string: binary check, cut to limit plus margin, redaction passes, final cut to the limit. */
export function sanitizeText(value: string, limit: number, options?: SanitizeTextOptions): string {
  if (isBinaryString(value)) return BINARY_PLACEHOLDER;
  const cap = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : MAX_PAYLOAD_STRING_CHARS;
  const scanChars = cap + SCAN_MARGIN_CHARS;
  // The scan window is a slice (no copy): only the final cut, which the event keeps, is detached.
  let text = toWellFormed(value.length <= scanChars ? value : sliceWhole(value, scanChars));
  text = redactSecrets(text);
  if (options?.freeText === true) text = redactPersonalData(text);
  // A match split by the first cut could slide under the limit after an earlier redaction shortened the text.
  const finalLimit = value.length > scanChars ? Math.min(cap, text.length - SCAN_MARGIN_CHARS) : cap;
  return cutText(text, finalLimit);
}

const isBlank = (value: string): boolean => value.trim() === '';
/** `sanitizeText(value, MAX_NAME_CHARS)`, remembered for short names: tool, client and server names recur. */
export const nameText = memoizeText((value) => sanitizeText(value, MAX_NAME_CHARS), 2_048, 128);

/** Sanitizes a tool, resource, model, client or server field; anything but a non-blank string is `undefined`. */
export function sanitizeName(value: unknown): string | undefined {
  if (typeof value !== 'string' || isBlank(value)) return undefined;
  const text = nameText(value);
  return isBlank(text) ? undefined : text;
}

/** Sanitizes free text (intent, feedback, unregistered tool names), personal data included. */
export function sanitizeFreeText(value: unknown, limit: number = MAX_TEXT_CHARS): string | undefined {
  if (typeof value !== 'string' || isBlank(value)) return undefined;
  const text = sanitizeText(value, limit, { freeText: true });
  return isBlank(text) ? undefined : text;
}
