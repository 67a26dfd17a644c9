/** Controls (C0, DEL, C1) and lone surrogates: shown as U+FFFD. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/gu;
/** Format characters (zero-width, bidi overrides, BOM): dropped, so text cannot reorder or hide what follows. */
const FORMAT = /\p{Cf}/gu;
const HIGH_SURROGATE_AT_END = /[\ud800-\udbff]$/;
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Makes event text safe to show on one line: at most `maxChars` UTF-16 units (an ellipsis marks a cut, never
 * inside a surrogate pair), whitespace collapsed, controls and lone surrogates replaced by U+FFFD, format
 * characters dropped. The work done is bounded by `maxChars`, not by the input's length.
 */
export function cleanText(value: unknown, maxChars: number): string {
  const text = typeof value === 'string' ? value : String(value);
  const head = text.slice(0, maxChars * 2 + 2);
  const clean = head
    .replace(/[\s\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(FORMAT, '')
    .replace(UNPRINTABLE, '\ufffd')
    .trim();
  const cut = clean.length > maxChars || head.length < text.length;
  if (!cut) return clean;
  const kept = clean.slice(0, maxChars - 1);
  return `${(HIGH_SURROGATE_AT_END.test(kept) ? kept.slice(0, -1) : kept).trimEnd()}…`;
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** {@link cleanText} then {@link escapeHtml}: the one way event text reaches the page. */
export function safeText(value: unknown, maxChars: number): string {
  return escapeHtml(cleanText(value, maxChars));
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** Formats milliseconds for a label: `0.4 ms`, `12 ms`, `1.5 s`, `2.5 min`, `> 1 day`. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms > MS_PER_DAY) return '> 1 day';
  if (ms >= MS_PER_MINUTE) return `${Math.round(ms / 6000) / 10} min`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${Math.round(ms * 10) / 10} ms`;
}

/** Formats a 0–1 ratio as a percentage with at most one decimal. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

/** Formats a count with thousands separators, or in exponent form from a million up. */
export function formatCount(count: number): string {
  return Math.abs(count) < 1e6 ? count.toLocaleString('en-US') : count.toExponential(1);
}
