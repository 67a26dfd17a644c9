import { cutText } from './sanitize';

/** The `exceptionRateLimit` option after defaults. */
export interface ExceptionRateLimit {
  /** `$exception` events sent per signature in one window. */
  perSignature: number;
  /** The window's length, in milliseconds. */
  windowMs: number;
}

/** Most signatures tracked at once; the least recently seen is forgotten past it. */
export const MAX_EXCEPTION_SIGNATURES = 1_000;
/** Characters of a message that make up its signature. */
const SIGNATURE_MESSAGE_CHARS = 256;

interface Window {
  startedAt: number;
  sent: number;
  suppressed: number;
}

/** A message with its numbers and ids normalised, so `order 42 failed` and `order 43 failed` match. */
export function normalizeMessage(message: string): string {
  return cutText(message, SIGNATURE_MESSAGE_CHARS)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<id>')
    .replace(/\d+(?:\.\d+)?/g, '<n>');
}

/**
 * Holds back `$exception` events past `perSignature` per window for one signature (tool, exception type and
 * normalised message); the next one sent says how many were held back. Bounded to
 * {@link MAX_EXCEPTION_SIGNATURES} signatures of at most a few hundred characters each.
 */
export class ExceptionRateLimiter {
  readonly #limit: ExceptionRateLimit;
  readonly #windows = new Map<string, Window>();

  constructor(limit: ExceptionRateLimit) {
    this.#limit = limit;
  }

  /** Whether to send this exception now, and how many of its signature were held back before it. */
  admit(signature: string, now: number): { send: boolean; suppressed: number } {
    let window = this.#windows.get(signature);
    if (window === undefined || now - window.startedAt >= this.#limit.windowMs || now < window.startedAt) {
      window = { startedAt: now, sent: 0, suppressed: window?.suppressed ?? 0 };
    }
    this.#windows.delete(signature);
    this.#windows.set(signature, window);
    if (this.#windows.size > MAX_EXCEPTION_SIGNATURES) {
      const oldest = this.#windows.keys().next();
      if (!oldest.done) this.#windows.delete(oldest.value);
    }
    if (window.sent >= this.#limit.perSignature) {
      window.suppressed += 1;
      return { send: false, suppressed: 0 };
    }
    window.sent += 1;
    const suppressed = window.suppressed;
    window.suppressed = 0;
    return { send: true, suppressed };
  }
}

/** The signature of one exception: tool, type and normalised message. */
export function exceptionSignature(toolName: unknown, type: unknown, message: unknown): string {
  const text = (value: unknown): string =>
    typeof value === 'string' ? cutText(value, SIGNATURE_MESSAGE_CHARS) : '';
  return `${text(toolName)}\u0000${text(type)}\u0000${normalizeMessage(text(message))}`;
}
