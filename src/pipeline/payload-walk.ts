import {
  MAX_ENTRIES,
  MAX_KEY_CHARS,
  MAX_LATE_STRING_CHARS,
  MAX_PAYLOAD_SCAN_CHARS,
  SCAN_MARGIN_CHARS,
} from './limits';
import { memoizeText } from './memo';
import { type RawSizes, rawStringBytes } from './raw-size';
import { cutText, MARKER, sanitizeText } from './sanitize';
import { isSecretKey } from './secret-key';

/**
 * The state of one `sanitizePayload` walk: its budgets, its caches and its running size bound. The collections are
 * made when first needed: a walk over a string or a small record allocates none of them.
 */
export interface Walk {
  /** The objects being copied, outermost first: meeting one again is a cycle. */
  ancestors: object[] | undefined;
  /** What the walk learnt of each key (see `keyFacts`), since the records of one payload usually repeat them. */
  keys: Map<string, KeyFacts> | undefined;
  /** The first keys of each wide object already copied: a shared wide object is enumerated once. */
  members: Map<object, readonly string[]> | undefined;
  readonly maxStringChars: number;
  nodes: number;
  scanChars: number;
  /** An upper bound on the JSON bytes of the copy built so far (see `rememberJsonBytesAtMost`). */
  bytes: number;
  /** Where to record the raw sizes of wanted objects; the walk counts raw sizes only when set. */
  readonly sizes: RawSizes | undefined;
  /** The raw values' estimated JSON bytes so far, by `estimateJsonBytes`'s rule (with `sizes`). */
  raw: number;
  /** Counts the places the walk did not read as `estimateJsonBytes` would (cut, skipped, replaced, shared). */
  partial: number;
  /**
   * With `sizes`: every object met so far, and what the wanted copies were copied from. One met again (not an
   * ancestor) is read again, where the estimate counts `{}`, so its walk is not the estimate's.
   */
  met: Set<unknown> | undefined;
}

/** What a payload walk learns of a key once: whether it names a secret, its sizes and its sanitized form. */
export interface KeyFacts {
  readonly secret: boolean;
  /** Its estimated raw JSON bytes (with the walk's `sizes`; else 0). */
  readonly rawBytes: number;
  /** Its sanitized form, once a member under it is kept. */
  name: string | undefined;
  /** What the sanitized form adds to the copy's bound: `stringBytesAtMost(name)`, a colon and a comma. */
  bytes: number;
}

/** The facts of a key, learnt the first time the walk meets it. */
export function keyFacts(key: string, walk: Walk): KeyFacts {
  const known = walk.keys ?? new Map<string, KeyFacts>();
  walk.keys = known;
  let facts = known.get(key);
  if (facts === undefined) {
    const rawBytes = walk.sizes ? rawStringBytes(key) : 0;
    facts = { secret: isSecretKey(key), rawBytes, name: undefined, bytes: 0 };
    known.set(key, facts);
  }
  return facts;
}

/** Runs a read of hostile data; one that throws gives `[unreadable]`. */
export function read(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return MARKER.unreadable;
  }
}

/**
 * Sanitizes one string of the walk and charges what it scanned to the payload's budget; once the budget is
 * spent, strings and keys are cut to `MAX_LATE_STRING_CHARS` before they are scanned, margin included.
 */
export function scanText(value: string, limit: number, walk: Walk): string {
  if (walk.scanChars >= MAX_PAYLOAD_SCAN_CHARS) {
    const cap = Math.min(limit, MAX_LATE_STRING_CHARS);
    return sanitizeText(cutText(value, cap), cap);
  }
  walk.scanChars += Math.min(value.length, limit + SCAN_MARGIN_CHARS);
  return sanitizeText(value, limit);
}

const sanitizeKey = memoizeText((key) => sanitizeText(key, MAX_KEY_CHARS), 2_048, 128);
/** `scanText` for a key: keys recur across payloads, so the sanitized form of a short one is remembered. */
export function scanKey(key: string, walk: Walk): string {
  if (key.length > 128 || walk.scanChars >= MAX_PAYLOAD_SCAN_CHARS) return scanText(key, MAX_KEY_CHARS, walk);
  walk.scanChars += key.length;
  return sanitizeKey(key);
}

/** An array, or an object whose prototype is `Object.prototype` or `null`: nothing JSON treats specially but `toJSON`. */
export function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Wider objects than this have their first keys remembered, so a shared wide object is enumerated once. */
const REMEMBERED_KEYS = 64;

/** The first `MAX_ENTRIES` own enumerable keys; a wide object's are listed once per payload. */
export function keysOf(value: object, walk: Walk): readonly string[] {
  const remembered = walk.members?.get(value);
  if (remembered) return remembered;
  const keys = Object.keys(value);
  if (keys.length <= REMEMBERED_KEYS) return keys;
  if (keys.length > MAX_ENTRIES) walk.partial++;
  const first = keys.length > MAX_ENTRIES ? keys.slice(0, MAX_ENTRIES) : keys;
  if (walk.members === undefined) walk.members = new Map();
  walk.members.set(value, first);
  return first;
}

/** The first `MAX_ENTRIES` items of an iterator. */
export function takeFirst<T>(iterator: Iterator<T>): T[] {
  const items: T[] = [];
  for (let step = iterator.next(); !step.done && items.length < MAX_ENTRIES; step = iterator.next()) {
    items.push(step.value);
  }
  return items;
}

/** A Map key as text; one whose conversion throws is `[unreadable]`. */
export function keyText(key: unknown): string {
  const text = read(() => String(key));
  return typeof text === 'string' ? text : MARKER.unreadable;
}

/** Reads `source[key]`; a getter or proxy trap that throws gives `[unreadable]`. */
export function readMember(source: object, key: string | number, walk: Walk): unknown {
  try {
    return (source as Record<string | number, unknown>)[key];
  } catch {
    walk.partial++;
    return MARKER.unreadable;
  }
}
