import { MIN_BINARY_CHARS, REDACTED } from './limits';

type Replacer = (match: string, ...groups: string[]) => string;
type Pass = readonly [RegExp, string | Replacer];

const SECRET_KEY_PARTS: readonly (readonly string[])[] = [
  ['authorization'],
  ['cookie'],
  ['set', 'cookie'],
  ['x', 'api', 'key'],
  ['token'],
  ['password'],
  ['secret'],
  ['api', 'key'],
  ['api', 'token'],
  ['access', 'token'],
  ['refresh', 'token'],
  ['client', 'secret'],
  ['private', 'key'],
];

const SECRET_KEYS: ReadonlySet<string> = new Set(
  SECRET_KEY_PARTS.flatMap((parts) => ['-', '_', ''].map((separator) => parts.join(separator))),
);
const LONGEST_SECRET_KEY = Math.max(...[...SECRET_KEYS].map((key) => key.length));
const SIGNATURE_KEYS = ['sig', 'signature', 'x-amz-signature', 'x-goog-signature', 'x-amz-security-token'];

// Longest first so an alternation never stops at a shorter prefix of the real key.
const keyAlternation = (keys: Iterable<string>): string =>
  [...keys]
    .sort((a, b) => b.length - a.length)
    .map((key) => key.replaceAll('-', '\\-'))
    .join('|');
const SECRET_KEY_SOURCE = keyAlternation(SECRET_KEYS);
const URL_KEY_SOURCE = keyAlternation([...SECRET_KEYS, ...SIGNATURE_KEYS]);

/** Whether an object key, compared case-insensitively as a whole, names a credential. */
export function isSecretKey(key: string): boolean {
  return key.length <= LONGEST_SECRET_KEY && SECRET_KEYS.has(key.toLowerCase());
}

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
const SECRET_PASSES: readonly Pass[] = [
  // Private key blocks, also when cut off or JSON-escaped (`\n` as two characters).
  [
    /-----BEGIN [A-Z0-9 ]{0,64}PRIVATE KEY-----[A-Za-z0-9+/=\s\\]{0,16384}(?:-----END [A-Z0-9 ]{0,64}PRIVATE KEY-----)?/g,
    REDACTED,
  ],
  // JSON members inside text; a string value may be cut at a line end or the text's end.
  [
    new RegExp(
      `("(?:${SECRET_KEY_SOURCE})"[ \\t\\r\\n]{0,64}:[ \\t\\r\\n]{0,64})(?:"(?:[^"\\\\\\r\\n]|\\\\[^\\r\\n])*(?:"|\\\\?(?=[\\r\\n]|$))|-?\\d[\\d.eE+-]{0,63}|true|false|\\[[^[\\]{}]*(?:\\]|$))`,
      'gi',
    ),
    `$1"${REDACTED}"`,
  ],
  // Header-style lines such as `Authorization: Bearer ...` or `Cookie: a=b`.
  [new RegExp(`^([ \\t]*(?:${SECRET_KEY_SOURCE})[ \\t]*:[ \\t]*)[^\\r\\n]+`, 'gim'), `$1${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@"'<>[\]]{1,256}@/gi, `$1${REDACTED}@`],
  [new RegExp(`(^|[?&#;\\s"'(,])(${URL_KEY_SOURCE})=[^&#\\s"'<>]+`, 'gi'), `$1$2=${REDACTED}`],
  [
    /\b((?:proxy-)?authorization["']?[ \t]{0,16}[:=][ \t]{0,16}["']?)(?:(?:Bearer|Basic|Digest|Token|Negotiate)[ \t]+)?[^\s"',;]{1,4096}/gi,
    `$1${REDACTED}`,
  ],
  [/\b(Bearer|Basic)([ \t]+)([A-Za-z0-9._~+/-]{8,4096}=*)/g, redactSchemeToken],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{22,255}/g, REDACTED],
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,255}/g, REDACTED],
  [/\bwhsec_[A-Za-z0-9+/=]{20,255}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{20,255}/g, redactOpenAIKey],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,255}/g, REDACTED],
  [/\bAIza[A-Za-z0-9_-]{35}/g, REDACTED],
  [/\bglpat-[A-Za-z0-9_-]{20,255}/g, REDACTED],
  [/\b(?:npm|hf)_[A-Za-z0-9]{30,255}\b/g, redactOpenAIKey],
  [/\bSG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g, REDACTED],
  [/\b(hooks\.slack\.com\/(?:services|workflows)\/)[A-Za-z0-9/_-]{16,255}/g, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{0,4096}/g, REDACTED],
  [/(?<![A-Za-z0-9])ph[a-z]_[A-Za-z0-9_-]{20,}/g, REDACTED],
  [/[A-Za-z0-9+/_-]{32,}={0,2}/g, redactIfRandom],
];

type Gate = (text: string) => boolean;

function applyPasses(text: string, passes: readonly Pass[], gates: readonly Gate[]): string {
  let out = text;
  const last = gates.length - 1;
  for (let i = 0; i < passes.length; i++) {
    // A failed gate proves its pass cannot match the text as it is now; the last gate covers every later pass.
    if (i <= last && !gates[i]!(out)) {
      if (i === last) break;
      continue;
    }
    const [pattern, replacement] = passes[i]!;
    out =
      typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

const hasColon: Gate = (text) => text.includes(':');
const hasEquals: Gate = (text) => text.includes('=');
const MIN_TOKEN_RUN = 15;

const isTokenChar = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 95 ||
  c === 43 ||
  c === 47 ||
  c === 61 ||
  c === 45;

/** Every format from `AKIA` to the random-token pass needs 15 or more of `[A-Za-z0-9_+/=-]` in a row, or `eyJ`. */
function hasTokenRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = isTokenChar(text.charCodeAt(i)) ? run + 1 : 0;
    if (run >= MIN_TOKEN_RUN) return true;
  }
  return text.includes('eyJ');
}

/** A cheap necessary condition per secret pass, in pass order; the token-run gate covers every later pass. */
const SECRET_GATES: readonly Gate[] = [
  (text) => text.includes('-----BEGIN '),
  hasColon,
  hasColon,
  hasColon,
  hasEquals,
  (text) => hasColon(text) || hasEquals(text),
  (text) => text.includes('Bearer') || text.includes('Basic'),
  hasTokenRun,
];

/** One scan for what any secret pass needs: `:`, `=`, `B` (Bearer, Basic), a token run, `-----BEGIN ` or `eyJ`. */
function mayHoldSecret(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 || c === 61 || c === 66) return true;
    run = isTokenChar(c) ? run + 1 : 0;
    if (run >= MIN_TOKEN_RUN) return true;
  }
  return text.includes('-----BEGIN ') || text.includes('eyJ');
}

/** Replaces credentials (key/value secrets, URL credentials, known key formats, random tokens) in already-cut text. */
export function redactSecrets(text: string): string {
  return mayHoldSecret(text) ? applyPasses(text, SECRET_PASSES, SECRET_GATES) : text;
}

function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

const redactCard: Replacer = (match) => {
  const digits = match.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits) ? REDACTED : match;
};

const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;

const redactIPv6: Replacer = (match) => {
  const halves = match.split('::');
  // Needing a digit keeps C++ scopes such as `a::b` out.
  if (halves.length > 2 || !/\d/.test(match)) return match;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => IPV6_GROUP.test(group))) return match;
  const valid =
    halves.length === 2 ? groups.length <= 7 && (groups.length >= 2 || match === '::1') : groups.length === 8;
  return valid ? REDACTED : match;
};

const redactInternationalPhone: Replacer = (match) => {
  const body = match.replace(/[ .()-]+$/, '');
  const digits = body.replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15 ? REDACTED + match.slice(body.length) : match;
};

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

const PERSONAL_PASSES: readonly Pass[] = [
  [/[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g, REDACTED],
  [new RegExp(`(?<![\\w.])(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}(?!\\w|\\.\\d)`, 'g'), REDACTED],
  [/(?<![\w:.])[0-9A-Fa-f:]{2,39}(?![\w:]|\.\d)/g, redactIPv6],
  [/(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g, REDACTED],
  [/(?<![\w-]|\d )\d(?:[ -]?\d){12,18}(?![\w-]|[ ]\d)/g, redactCard],
  [/(?<![\w+])\+(?:\d[ .()-]{0,2}){7,20}(?!\d)/g, redactInternationalPhone],
  [/(?<![\w+(-])(?:1[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g, REDACTED],
];

const hasDigit = (text: string): boolean => /\d/.test(text);

/** Emails need `@`; every later personal pass (IP, SSN, card, phone) needs a digit. */
const PERSONAL_GATES: readonly Gate[] = [(text) => text.includes('@'), hasDigit];

/** Replaces emails, IP addresses, card numbers, US social security numbers and phone numbers in free text. */
export function redactPersonalData(text: string): string {
  return applyPasses(text, PERSONAL_PASSES, PERSONAL_GATES);
}
