import { REDACTED } from './limits';

/**
 * Passes that find a fixed literal with `indexOf` and read outwards from it by hand, so each character is looked
 * at a bounded number of times whatever the text: a backtracking regex retried at every position is not.
 */

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const isJwtChar = (c: number): boolean => isWordChar(c) || c === 45;

function runEnd(text: string, from: number, isMember: (c: number) => boolean): number {
  let i = from;
  while (i < text.length && isMember(text.charCodeAt(i))) i++;
  return i;
}

/** Start of the first JWT header (`eyJ` at a word start, 5+ characters after it) in `text[from, dot)`. */
function jwtStart(text: string, from: number, dot: number): number {
  let start = dot;
  while (start > from && isJwtChar(text.charCodeAt(start - 1))) start--;
  for (let i = text.indexOf('eyJ', start); i >= 0 && i + 8 <= dot; i = text.indexOf('eyJ', i + 1)) {
    if (i === start ? !isWordChar(text.charCodeAt(i - 1)) : text.charCodeAt(i - 1) === 45) return i;
  }
  return -1;
}

/** Replaces JSON Web Tokens (`eyJ….eyJ….signature`), anchored on the `.eyJ` that starts the payload. */
export function redactJwts(text: string): string {
  let out = '';
  let copied = 0;
  for (let dot = text.indexOf('.eyJ'); dot >= 0; dot = text.indexOf('.eyJ', dot + 1)) {
    const payloadEnd = runEnd(text, dot + 1, isJwtChar);
    if (payloadEnd - dot - 4 < 5 || text[payloadEnd] !== '.') continue;
    const start = jwtStart(text, copied, dot);
    if (start < 0) continue;
    const end = runEnd(text, payloadEnd + 1, isJwtChar);
    out += text.slice(copied, start) + REDACTED;
    copied = end;
    dot = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const isSchemeChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
const USER_INFO_STOPS = new Set([...' \t\r\n\f\v/?#@"\'<>[]'].map((c) => c.charCodeAt(0)));
const MAX_USER_INFO_CHARS = 256;

/** Replaces the user info of URLs (`scheme://user:password@host`), anchored on `://`. */
export function redactUrlUserInfo(text: string): string {
  let out = '';
  let copied = 0;
  for (let colon = text.indexOf('://'); colon >= 0; colon = text.indexOf('://', colon + 1)) {
    if (colon === 0 || !isSchemeChar(text.charCodeAt(colon - 1))) continue;
    const from = colon + 3;
    let at = from;
    while (at < text.length && at - from <= MAX_USER_INFO_CHARS && !USER_INFO_STOPS.has(text.charCodeAt(at)))
      at++;
    if (at === from || text[at] !== '@' || at - from > MAX_USER_INFO_CHARS) continue;
    out += `${text.slice(copied, from)}${REDACTED}`;
    copied = at;
    colon = at;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
