import { REDACTED } from './limits';
import { isSecretKey, SECRET_STEM_SOURCE } from './secret-key';

/** URL fields that sign a request and so work like a credential. */
const SIGNATURE_KEYS: ReadonlySet<string> = new Set([
  'sig',
  'signature',
  'x-amz-signature',
  'x-goog-signature',
]);
const MAX_KEY_CHARS = 128;
const MAX_PADDING_CHARS = 64;
const SCHEME = /(?:Bearer|Basic|Digest|Token|Negotiate)[ \t]{1,16}/y;

/** Where a key before a `:` or `=` sits, and how it was written. */
interface Key {
  readonly name: string;
  /** The quote around the key (`"`, `'`, or `\"` for escaped JSON), or ''. */
  readonly quote: string;
  /** The quote just before an unquoted key, as in `-H 'X-API-Key: ...'`, or ''. */
  readonly opener: string;
  /** Only indentation, `-` or `export` before the key on its line. */
  readonly atLineStart: boolean;
  /** Index of the key's first character, its quote included. */
  readonly start: number;
}

const isKeyChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
const isBlank = (c: number): boolean => c === 32 || c === 9;
const isLineEnd = (c: number): boolean => c === 10 || c === 13 || Number.isNaN(c);

function skipBlanksBack(text: string, from: number): number {
  let i = from;
  while (i >= 0 && from - i < MAX_PADDING_CHARS && isBlank(text.charCodeAt(i))) i--;
  return i;
}

function isAtLineStart(text: string, keyStart: number): boolean {
  let i = skipBlanksBack(text, keyStart - 1);
  if (text.endsWith('export', i + 1) || text.charCodeAt(i) === 45) {
    i = skipBlanksBack(text, text.charCodeAt(i) === 45 ? i - 1 : i - 6);
  }
  return i < 0 || isLineEnd(text.charCodeAt(i));
}

/** Index of the quote opening a key whose closing quote is at `close`, looking back at most `MAX_KEY_CHARS`. */
function openingQuote(text: string, close: number, quote: string): number {
  for (let i = close - quote.length; i >= 0 && close - i <= MAX_KEY_CHARS; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return -1;
    if (text.startsWith(quote, i)) return i;
  }
  return -1;
}

/** Reads the key written just before the separator at `sep`; at most `MAX_KEY_CHARS` are looked at. */
function readKey(text: string, sep: number): Key | undefined {
  const end = skipBlanksBack(text, sep - 1);
  const last = text[end];
  if (last === '"' || last === "'") {
    const quote = last === '"' && text[end - 1] === '\\' ? '\\"' : last;
    const close = end + 1 - quote.length;
    const open = openingQuote(text, close, quote);
    if (open < 0) return undefined;
    const name = text.slice(open + quote.length, close);
    return { name, quote, opener: '', atLineStart: isAtLineStart(text, open), start: open };
  }
  let start = end;
  while (start >= 0 && end - start < MAX_KEY_CHARS && isKeyChar(text.charCodeAt(start))) start--;
  if (start === end) return undefined;
  const before = text[start] ?? '';
  const opener = before === '"' || before === "'" ? before : '';
  const name = text.slice(start + 1, end + 1);
  return { name, quote: '', opener, atLineStart: isAtLineStart(text, start + 1), start: start + 1 };
}

/** End of a quoted value starting at `at`: its closing quote, else the line's end (a cut string). */
function quotedEnd(text: string, at: number, quote: string): number {
  for (let i = at + quote.length; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isLineEnd(c)) return i;
    if (text.startsWith(quote, i)) return i + quote.length;
    if (c === 92 && quote.length === 1) i++;
  }
  return text.length;
}

/** End of a JSON array or object starting at `at`: its matching bracket, or the text's end. */
function bracketEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = quotedEnd(text, i, '"') - 1;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
  }
  return text.length;
}

/** The first `quote` from `at` on the same line, else the line's end. */
function closingQuote(text: string, at: number, quote: string): number {
  let i = at;
  while (i < text.length && text[i] !== quote && !isLineEnd(text.charCodeAt(i))) i++;
  return i;
}

function endOf(text: string, from: number, stops: RegExp): number {
  stops.lastIndex = from;
  return stops.exec(text)?.index ?? text.length;
}

const LINE_END = /[\r\n]/g;
/** A line's end, or the blank before the line's next `name=` assignment. */
const NEXT_ASSIGNMENT = /[\r\n]|[ \t](?=[A-Za-z_][\w.-]*=)/g;
const TOKEN_END_AFTER_EQUALS = /[\s"'<>&#`]/g;
const TOKEN_END_AFTER_COLON = /[\s"'<>,;`]/g;
const JSON_SCALAR = /-?\d[\d.eE+-]{0,63}|true|false/y;

/** Where the value after the separator at `sep` starts and ends, and what replaces it. */
function readValue(text: string, sep: number, key: Key): [number, number, string] | undefined {
  const colon = text[sep] === ':';
  let at = sep + 1;
  while (text[at] === '=') at++;
  const jsonMember = colon && key.quote !== '' && key.quote !== "'";
  while (isBlank(text.charCodeAt(at)) || (jsonMember && /[\r\n]/.test(text[at] ?? ''))) at++;
  const first = text[at] ?? '';
  if (first === '"' || first === "'" || (first === '\\' && text[at + 1] === '"')) {
    const quote = first === '\\' ? '\\"' : first;
    return [at, quotedEnd(text, at, quote), `${quote}${REDACTED}${quote}`];
  }
  if (jsonMember) {
    if (first === '[' || first === '{') return [at, bracketEnd(text, at), `"${REDACTED}"`];
    JSON_SCALAR.lastIndex = at;
    if (JSON_SCALAR.test(text)) return [at, JSON_SCALAR.lastIndex, `"${REDACTED}"`];
  }
  let end: number;
  if (key.atLineStart) end = endOf(text, at, colon ? LINE_END : NEXT_ASSIGNMENT);
  else if (key.opener !== '' && colon) end = closingQuote(text, at, key.opener);
  else {
    SCHEME.lastIndex = at;
    const scheme = SCHEME.test(text) ? SCHEME.lastIndex - at : 0;
    end = endOf(text, at + scheme, colon ? TOKEN_END_AFTER_COLON : TOKEN_END_AFTER_EQUALS);
    if (end === at + scheme) return undefined;
  }
  while (end > at && isBlank(text.charCodeAt(end - 1))) end--;
  return end > at ? [at, end, REDACTED] : undefined;
}

/** Shared by every call: the scan is synchronous, and `lastIndex` is reset at its start. */
const STEMS = new RegExp(SECRET_STEM_SOURCE, 'gi');

/** Characters a key and its quotes may span between a secret stem and the separator after it. */
const isKeySpan = (c: number): boolean => isKeyChar(c) || isBlank(c) || c === 34 || c === 39 || c === 92;

/** The `:` or `=` that ends the key holding the stem at `at`, or -1; `scanned` gets where the look stopped. */
function separatorAfter(text: string, at: number): number {
  let i = at;
  while (i < text.length && i - at <= MAX_KEY_CHARS && isKeySpan(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  return c === 58 || c === 61 ? i : -(i + 1);
}

/**
 * Replaces the value of every secret-named key in text: JSON members, header-style and YAML lines, `.env` and
 * properties assignments, `curl -H` headers and URL query or fragment fields. Anchored on the stems of secret
 * words, so each character is looked at a bounded number of times, and text with no stem costs one regex scan.
 */
export function redactKeyValues(text: string): string {
  let out = '';
  let copied = 0;
  const stems = STEMS;
  stems.lastIndex = 0;
  let lastKey = '';
  let lastIsSecret = false;
  for (let match = stems.exec(text); match !== null; match = stems.exec(text)) {
    const found = separatorAfter(text, match.index);
    // Every later stem up to where the look stopped leads to the same separator, or to none.
    stems.lastIndex = found >= 0 ? found + 1 : -found;
    if (found < 0) continue;
    const key = readKey(text, found);
    if (key === undefined || key.start < copied) continue;
    // Repeated keys (records, query strings) are decided once.
    if (key.name !== lastKey) {
      lastKey = key.name;
      lastIsSecret = isSecretKey(key.name);
    }
    const isEquals = text[found] === '=';
    if (!lastIsSecret && !(isEquals && SIGNATURE_KEYS.has(key.name.toLowerCase()))) continue;
    const value = readValue(text, found, key);
    if (value === undefined) continue;
    const [start, end, replacement] = value;
    out += text.slice(copied, start) + replacement;
    copied = end;
    stems.lastIndex = Math.max(end, found + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
