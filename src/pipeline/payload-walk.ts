import { MAX_KEY_CHARS, MAX_LATE_STRING_CHARS, MAX_PAYLOAD_SCAN_CHARS, SCAN_MARGIN_CHARS } from './limits';
import { memoizeText } from './memo';
import { cutText, MARKER, sanitizeText } from './sanitize';

/**
 * The state of one `sanitizePayload` walk: its budgets, its caches and its running size bound. The collections are
 * made when first needed: a walk over a string or a small record allocates none of them.
 */
export interface Walk {
  /** The objects being copied, outermost first: meeting one again is a cycle. */
  ancestors: Set<object> | undefined;
  /** Sanitized keys, since the records of one payload usually repeat them. */
  keys: Map<string, string> | undefined;
  /** The first keys of each wide object already copied: a shared wide object is enumerated once. */
  members: Map<object, readonly string[]> | undefined;
  readonly maxStringChars: number;
  nodes: number;
  scanChars: number;
  /** An upper bound on the JSON bytes of the copy built so far (see `rememberJsonBytesAtMost`). */
  bytes: number;
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
