import { redactJwts, redactUrlUserInfo } from './anchored';
import { redactKeyValues } from './key-values';
import { MIN_BINARY_CHARS, REDACTED } from './limits';
import { applyPasses, type Gate, type NamedPass, regexPass } from './passes';

export { redactPersonalData } from './personal-data';
export { isSecretKey } from './secret-key';

type Replacer = (match: string, ...groups: string[]) => string;

const BINARY_EDGE_CHARS = 1_024;
const DATA_URL_HEADER_CHARS = 1_024;
const DATA_URL_START = /^data:/i;
const BASE64_HEAD = /^[A-Za-z0-9+/_-]*$/;
const BASE64_TAIL = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Whether a string is base64 binary data or a base64 `data:` URL, looking only at its ends. */
export function isBinaryString(s: string): boolean {
  const first = s.charCodeAt(0);
  if ((first === 100 || first === 68) && DATA_URL_START.test(s)) {
    const head = s.slice(0, DATA_URL_HEADER_CHARS);
    const comma = head.indexOf(',');
    if (comma >= 0 && head.slice(0, comma).toLowerCase().endsWith(';base64')) return true;
  }
  if (s.length < MIN_BINARY_CHARS) return false;
  return BASE64_HEAD.test(s.slice(0, BINARY_EDGE_CHARS)) && BASE64_TAIL.test(s.slice(-BINARY_EDGE_CHARS));
}

function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const char of s) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const charClass = (c: string): number =>
  c >= 'a' && c <= 'z' ? 0 : c >= 'A' && c <= 'Z' ? 1 : c >= '0' && c <= '9' ? 2 : 3;

/** Whether a run of token characters looks like a random credential rather than a word or identifier. */
function isHighEntropyToken(token: string): boolean {
  let switches = 0;
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const kind = charClass(token[i] ?? '');
    if (kind === 2) digits++;
    if (i > 0 && kind !== charClass(token[i - 1] ?? '')) switches++;
  }
  // Random tokens switch between upper, lower and digit about every other character; camelCase does not.
  const switchRate = switches / (token.length - 1);
  if (digits < 2 || switchRate < 0.45 || !/[A-Z]/.test(token) || !/[a-z]/.test(token)) return false;
  return shannonEntropy(token) >= 4;
}

const redactIfRandom: Replacer = (match) => (isHighEntropyToken(match) ? REDACTED : match);
const redactOpenAIKey: Replacer = (match) => (/[A-Z]/.test(match) && /\d/.test(match) ? REDACTED : match);

// `Basic usage` is prose; `Basic dXNlcjpwYXNz` and `Bearer abc.def-1` are credentials.
const redactSchemeToken: Replacer = (match, scheme = '', space = '', token = '') =>
  /^[A-Z]?[a-z]+$/.test(token) ? match : `${scheme}${space}${REDACTED}`;

// Each pass must need something `mayHoldSecret` and its gate in SECRET_GATES look for; every pass after the
// Bearer one must need 15 or more of `[A-Za-z0-9_+/=-]` in a row, or `eyJ`.
/** The secret passes in order, each with a name. */
export const SECRET_PASSES: readonly NamedPass[] = [
  // Private key blocks, also when cut off or JSON-escaped (`\n` as two characters).
  regexPass(
    'private key',
    /-----BEGIN [A-Z0-9 ]{0,64}PRIVATE KEY-----[A-Za-z0-9+/=\s\\]{0,16384}(?:-----END [A-Z0-9 ]{0,64}PRIVATE KEY-----)?/g,
    REDACTED,
  ),
  { name: 'secret-named keys', apply: redactKeyValues },
  { name: 'URL user info', apply: redactUrlUserInfo },
  regexPass(
    'Bearer or Basic token',
    /\b(Bearer|Basic)([ \t]+)([A-Za-z0-9._~+/-]{8,4096}=*)/g,
    redactSchemeToken,
  ),
  regexPass('AWS key id', /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED),
  regexPass('GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, REDACTED),
  regexPass('GitHub fine-grained token', /\bgithub_pat_[A-Za-z0-9_]{22,255}/g, REDACTED),
  regexPass('Stripe key', /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,255}/g, REDACTED),
  regexPass('webhook secret', /\bwhsec_[A-Za-z0-9+/=]{20,255}/g, REDACTED),
  regexPass('OpenAI or Anthropic key', /\bsk-[A-Za-z0-9_-]{20,255}/g, redactOpenAIKey),
  regexPass('Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,255}/g, REDACTED),
  regexPass('Google API key', /\bAIza[A-Za-z0-9_-]{35}/g, REDACTED),
  regexPass('GitLab token', /\bglpat-[A-Za-z0-9_-]{20,255}/g, REDACTED),
  regexPass('npm or Hugging Face token', /\b(?:npm|hf)_[A-Za-z0-9]{30,255}\b/g, redactOpenAIKey),
  regexPass('SendGrid key', /\bSG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g, REDACTED),
  regexPass(
    'Slack webhook',
    /\b(hooks\.slack\.com\/(?:services|workflows)\/)[A-Za-z0-9/_-]{16,255}/g,
    `$1${REDACTED}`,
  ),
  { name: 'JWT', apply: redactJwts },
  regexPass('PostHog key', /(?<![A-Za-z0-9])ph[a-z]_[A-Za-z0-9_-]{20,}/g, REDACTED),
  regexPass('random token', /[A-Za-z0-9+/_-]{32,}={0,2}/g, redactIfRandom),
];

const hasColon: Gate = (text) => text.includes(':');
const hasEquals: Gate = (text) => text.includes('=');
const MIN_TOKEN_RUN = 15;

/** `[A-Za-z0-9_+/=-]`, by ASCII code: the characters of a token run. */
const TOKEN_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const char = String.fromCharCode(c);
  TOKEN_CHARS[c] = /[A-Za-z0-9_+/=-]/.test(char) ? 1 : 0;
}
const isTokenChar = (c: number): boolean => c < 128 && TOKEN_CHARS[c] === 1;

/**
 * Every format from `AKIA` to the random-token pass needs 15 or more of `[A-Za-z0-9_+/=-]` in a row, or `eyJ`.
 * Any such run covers one of every 15 positions, so only those are probed; a probe that hits a token character
 * reads its run both ways, and the next probe starts 15 past the run's end.
 */
function hasTokenRun(text: string): boolean {
  const length = text.length;
  let probe = MIN_TOKEN_RUN - 1;
  while (probe < length) {
    if (!isTokenChar(text.charCodeAt(probe))) {
      probe += MIN_TOKEN_RUN;
      continue;
    }
    let start = probe;
    while (start > probe - MIN_TOKEN_RUN + 1 && isTokenChar(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < length && isTokenChar(text.charCodeAt(end))) end++;
    if (end - start >= MIN_TOKEN_RUN) return true;
    probe = end + MIN_TOKEN_RUN;
  }
  return text.includes('eyJ');
}

/** A cheap necessary condition per secret pass, in pass order; the token-run gate covers every later pass. */
const SECRET_GATES: readonly Gate[] = [
  (text) => text.includes('-----BEGIN '),
  (text) => hasColon(text) || hasEquals(text),
  (text) => text.includes('://'),
  (text) => text.includes('Bearer') || text.includes('Basic'),
  hasTokenRun,
];

/**
 * What any secret pass needs: `:`, `=`, `B` (Bearer, Basic, `-----BEGIN `), a token run or `eyJ`; the single
 * characters are found natively, and the run by probing (`hasTokenRun`).
 */
function mayHoldSecret(text: string): boolean {
  return hasColon(text) || hasEquals(text) || text.includes('B') || hasTokenRun(text);
}

/**
 * Hex digits and `-` in one case (a UUID, a hex digest): no secret pass matches such text (each needs a letter
 * past `f`, `_`, `:`, `=`, a space, or both cases); `test/session-fast-paths.test.ts` checks this stays true.
 */
const ONE_CASE_HEX = /^(?:[0-9a-f-]+|[0-9A-F-]+)$/;

/** Replaces credentials (key/value secrets, URL credentials, known key formats, random tokens) in already-cut text. */
export function redactSecrets(text: string): string {
  return mayHoldSecret(text) && !ONE_CASE_HEX.test(text)
    ? applyPasses(text, SECRET_PASSES, SECRET_GATES)
    : text;
}
