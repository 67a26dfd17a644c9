import { types } from 'node:util';
import { isWellFormed } from './sanitize';

/** The byte length of a value's compact UTF-8 JSON (0 when JSON omits it, Infinity when it cannot serialize). */
export function jsonByteLength(value: unknown): number {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Whether a value's compact UTF-8 JSON fits `maxBytes`: no serialization when an upper bound fits, else one. */
export function fitsJsonBytes(
  value: unknown,
  maxBytes: number,
  options: { remembered?: boolean } = {},
): boolean {
  if (jsonBytesAtMost(value, maxBytes, options) <= maxBytes) return true;
  try {
    const json = JSON.stringify(value);
    return json === undefined || json.length * 3 <= maxBytes || Buffer.byteLength(json, 'utf8') <= maxBytes;
  } catch {
    return false;
  }
}

/** Bytes no number's JSON exceeds (`-1.7976931348623157e+308`), and `true`, `false` or `null`. */
export const MAX_NUMBER_BYTES = 24;

/** At most what a member's key adds to its object's JSON: the key at six bytes a unit, quotes, colon and comma. */
export const keyBytesAtMost = (key: string): number => key.length * 6 + 4;

const MAX_ESTIMATE_DEPTH = 64;

/** The running sum of `jsonBytesAtMost`, cut short once it passes its limit. */
interface Estimate {
  bytes: number;
  readonly limit: number;
  /** Whether bounds remembered by `rememberJsonBytesAtMost` stand for their objects (nobody edited them since). */
  readonly remembered: boolean;
}

/** Upper bounds on the JSON bytes of objects this package built (sanitized payloads), by object. */
const REMEMBERED = new WeakMap<object, number>();

/**
 * Records an upper bound on the JSON bytes of an object just built, so a later `jsonBytesAtMost(…, { remembered:
 * true })` need not walk it again. Only sound while nothing edits the object: callers pass `remembered` only when no
 * hook can have touched it.
 */
export function rememberJsonBytesAtMost(value: object, bytes: number): void {
  REMEMBERED.set(value, bytes);
}

/** The characters JSON writes as six bytes (`\u0001`); every other UTF-16 unit is at most three UTF-8 bytes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose.
const SIX_BYTE_ESCAPE = /[\u0000-\u0007\u000b\u000e-\u001f]/;
/** Shorter strings are counted at six bytes a unit without looking at them. */
const SHORT_STRING_CHARS = 64;

/** Strings at least this long are measured (their UTF-8 length), not just counted at three bytes a unit. */
const MEASURED_STRING_CHARS = 4_096;

/**
 * At most the string's JSON bytes. A string with a control character or a lone surrogate (which JSON spells out as
 * `\uXXXX`), or a short one, counts six bytes a unit. Any other unit is at most three UTF-8 bytes, and its escape
 * (`\"`, `\n`) adds at most one: so a long string counts the lesser of three a unit and its UTF-8 length plus one
 * a unit (twice its length for ASCII text). `wellFormed`: the caller knows the string has no lone surrogate (a
 * `sanitizeText` result), so it is not checked again.
 */
export function stringBytesAtMost(value: string, wellFormed = false): number {
  const length = value.length;
  if (length <= SHORT_STRING_CHARS || !(wellFormed || isWellFormed(value)) || SIX_BYTE_ESCAPE.test(value)) {
    return length * 6 + 2;
  }
  if (length < MEASURED_STRING_CHARS) return length * 3 + 2;
  return Math.min(length * 3, Buffer.byteLength(value, 'utf8') + length) + 2;
}

function addValue(value: unknown, depth: number, estimate: Estimate): void {
  if (estimate.bytes > estimate.limit) return;
  if (typeof value === 'string') estimate.bytes += stringBytesAtMost(value);
  else if (typeof value === 'object' && value !== null) addObject(value, depth, estimate);
  else if (typeof value === 'bigint') estimate.bytes = Number.POSITIVE_INFINITY;
  else estimate.bytes += MAX_NUMBER_BYTES;
}

/** Whether JSON.stringify writes this object from its own members alone: a plain object or array, no `toJSON`, no proxy. */
function isPlainData(value: object, isArray: boolean): boolean {
  if (types.isProxy(value) || 'toJSON' in value) return false;
  const prototype = Object.getPrototypeOf(value);
  return isArray || prototype === Object.prototype || prototype === null;
}

function addObject(value: object, depth: number, estimate: Estimate): void {
  const known = estimate.remembered ? REMEMBERED.get(value) : undefined;
  if (known !== undefined) {
    estimate.bytes += known;
    return;
  }
  const isArray = Array.isArray(value);
  if (depth > MAX_ESTIMATE_DEPTH || !isPlainData(value, isArray)) {
    estimate.bytes = Number.POSITIVE_INFINITY;
    return;
  }
  estimate.bytes += 2;
  if (isArray) {
    const items = value as unknown[];
    for (let index = 0; index < items.length && estimate.bytes <= estimate.limit; index++) {
      estimate.bytes += 1;
      addValue(items[index], depth + 1, estimate);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  // Inherited enumerable keys (a polluted prototype) only raise the bound, which stays an upper bound.
  for (const key in record) {
    if (estimate.bytes > estimate.limit) return;
    estimate.bytes += keyBytesAtMost(key);
    addValue(record[key], depth + 1, estimate);
  }
}

/**
 * An upper bound on a value's compact UTF-8 JSON bytes, without serializing it: each string counted at three
 * bytes per UTF-16 unit, or six (`\u001f`) when it is short or holds a control character, each number at 24;
 * `Infinity` past `limit` and for anything it cannot bound (a `toJSON`, a class instance, a bigint, deeper than
 * 64, a throwing getter). With `remembered`, an object whose bound `rememberJsonBytesAtMost` recorded counts as
 * that bound, unwalked.
 */
export function jsonBytesAtMost(
  value: unknown,
  limit: number,
  options: { remembered?: boolean } = {},
): number {
  const estimate: Estimate = { bytes: 0, limit, remembered: options.remembered === true };
  try {
    addValue(value, 0, estimate);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return estimate.bytes > limit ? Number.POSITIVE_INFINITY : estimate.bytes;
}
