import { memoizeText } from './memo';

/** Words that name a credential on their own, and also as the end of a longer word (`dbpassword`, `csrftoken`). */
const SECRET_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'authorization',
  'cookie',
  'credential',
  'apikey',
  'privatekey',
];

/** Words that name a credential only as a whole word (`pwd`, not `cpwd`; `auth`, not `oauth`). */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  ...SECRET_SUFFIXES,
  'passwords',
  'secrets',
  'cookies',
  'credentials',
  'pwd',
  'auth',
  'csrf',
  'xsrf',
]);

/** A word after the last secret word that makes the key describe the secret instead of holding it. */
const DESCRIBING_WORDS: ReadonlySet<string> = new Set(
  (
    'count counts number length size limit budget usage used max min type kind id ids name hint policy url uri ' +
    'endpoint expiry expires expiration ttl age method mode scheme provider enabled required valid consent'
  ).split(' '),
);

/** Keys longer than this are not checked: no credential name is that long. */
const MAX_SECRET_KEY_CHARS = 128;

/** Every secret word, and every URL signature field, contains one of these stems (case-insensitively). */
export const SECRET_STEM_SOURCE = 'pass|pwd|secret|token|auth|cookie|credential|api|private|csrf|xsrf|sig';
const SECRET_HINT = new RegExp(SECRET_STEM_SOURCE, 'i');

const kindOf = (c: number): number =>
  c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : OTHER;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const OTHER = 0;

/** Splits a key into lower-case words at `-`, `_`, `.`, spaces, other punctuation, camelCase and letter-digit. */
export function splitKeyWords(key: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= key.length; i++) {
    const kind = i < key.length ? kindOf(key.charCodeAt(i)) : OTHER;
    const previous = i > 0 ? kindOf(key.charCodeAt(i - 1)) : OTHER;
    const next = i + 1 < key.length ? kindOf(key.charCodeAt(i + 1)) : OTHER;
    const boundary =
      kind === OTHER ||
      (kind === UPPER && previous !== UPPER) ||
      (kind === UPPER && previous === UPPER && next === LOWER) ||
      (kind === DIGIT && previous !== DIGIT) ||
      (kind !== DIGIT && previous === DIGIT);
    if (boundary && start >= 0) {
      words.push(key.slice(start, i).toLowerCase());
      start = -1;
    }
    if (kind !== OTHER && start < 0) start = i;
  }
  return words;
}

function isSecretWord(word: string): boolean {
  return SECRET_WORDS.has(word) || SECRET_SUFFIXES.some((suffix) => word.endsWith(suffix));
}

function computeIsSecretKey(key: string): boolean {
  if (key.length > MAX_SECRET_KEY_CHARS || !SECRET_HINT.test(key)) return false;
  const words = splitKeyWords(key);
  let last = -1;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const pair = word + (words[i + 1] ?? '');
    if (isSecretWord(word)) last = i;
    else if (pair === 'apikey' || pair === 'privatekey') last = i + 1;
  }
  if (last < 0) return false;
  for (let i = last + 1; i < words.length; i++) if (DESCRIBING_WORDS.has(words[i] ?? '')) return false;
  return true;
}

/**
 * Whether an object key, JSON member, header, assignment or URL field names a credential: one of its words
 * (split at `-`, `_`, `.`, spaces and camelCase) is a secret word (password, passwd, pwd, passphrase, secret,
 * token, auth, authorization, cookie, credential(s), csrf, xsrf, api key, private key, or a word ending in
 * one of password, secret, token, cookie, credential, apikey, privatekey), and no word after the last secret
 * word describes it (count, length, limit, usage, type, id, name, hint, policy, url, expires, ...).
 * So `db_password`, `userPassword`, `x-auth-token`, `aws_secret_access_key` and `"password "` are secret;
 * `token_count`, `max_tokens`, `password_policy_url`, `secret_santa_id`, `author` and `tokenizer` are not.
 */
export const isSecretKey: (key: string) => boolean = memoizeText(
  computeIsSecretKey,
  2_048,
  MAX_SECRET_KEY_CHARS,
);
