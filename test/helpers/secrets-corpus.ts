import { seededRandom } from './hardening-harness';

/** One planted item: the text to plant and the substring that must (or must not) reach the wire. */
export interface CorpusItem {
  kind: string;
  /** The text planted into a request. */
  text: string;
  /** The part that is the secret or personal datum itself. */
  needle: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const BASE64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;
const HEX = '0123456789abcdef';

type Random = () => number;

function pick(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** Random text that is credential-like: mixed case and at least two digits, as real keys are. */
function token(random: Random, alphabet: string, length: number): string {
  const body = pick(random, alphabet, length - 4);
  const at = Math.floor(random() * body.length);
  return `${body.slice(0, at)}${pick(random, UPPER, 1)}${pick(random, DIGITS, 2)}${pick(random, LOWER, 1)}${body.slice(at)}`;
}

function luhnComplete(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let digit = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return `${partial}${(10 - (sum % 10)) % 10}`;
}

const base64url = (text: string): string => Buffer.from(text).toString('base64url');

type Maker = (random: Random, n: number) => CorpusItem;
const same = (kind: string, value: string): CorpusItem => ({ kind, text: value, needle: value });

/** Credential makers: each must be redacted wherever it appears. */
const SECRET_MAKERS: Maker[] = [
  (r) => same('posthog project key', `phc_${token(r, ALNUM, 43)}`),
  (r) => same('posthog personal key', `phx_${token(r, ALNUM, 47)}`),
  (r) => same('aws access key id', `AKIA${pick(r, UPPER + DIGITS, 16)}`),
  (r) => same('aws session key id', `ASIA${pick(r, UPPER + DIGITS, 16)}`),
  (r) => same('aws secret access key', token(r, BASE64, 40)),
  (r) => {
    const secret = token(r, BASE64, 40);
    return { kind: 'aws credentials file', text: `aws_secret_access_key = ${secret}`, needle: secret };
  },
  (r) => same('gcp api key', `AIza${token(r, URLSAFE, 35)}`),
  (r) => {
    const body = token(r, BASE64, 64);
    const pem = `-----BEGIN PRIVATE KEY-----\\n${body}\\n${token(r, BASE64, 64)}\\n-----END PRIVATE KEY-----\\n`;
    return {
      kind: 'gcp service-account key (JSON text)',
      text: `{"type":"service_account","private_key":"${pem}"}`,
      needle: body,
    };
  },
  (r) => {
    const body = token(r, BASE64, 64);
    return {
      kind: 'pem private key',
      text: `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`,
      needle: body,
    };
  },
  (r, n) =>
    same('stripe secret key', `${n % 2 ? 'sk' : 'rk'}_${n % 3 ? 'live' : 'test'}_${token(r, ALNUM, 24)}`),
  (r) => same('stripe webhook secret', `whsec_${token(r, ALNUM, 32)}`),
  (r, n) => same('github token', `gh${'pousr'[n % 5]}_${token(r, ALNUM, 36)}`),
  (r) => same('github fine-grained token', `github_pat_${token(r, ALNUM, 22)}_${token(r, ALNUM, 59)}`),
  (r) => same('openai key', `sk-proj-${token(r, URLSAFE, 48)}`),
  (r) => same('openai legacy key', `sk-${token(r, ALNUM, 48)}`),
  (r) => same('anthropic key', `sk-ant-api03-${token(r, URLSAFE, 93)}AA`),
  (r, n) =>
    same(
      'slack token',
      `xox${'bpa'[n % 3]}-${pick(r, DIGITS, 12)}-${pick(r, DIGITS, 13)}-${token(r, ALNUM, 24)}`,
    ),
  (r) => {
    const secret = token(r, ALNUM, 24);
    return {
      kind: 'slack webhook',
      text: `https://hooks.slack.com/services/T${pick(r, UPPER + DIGITS, 8)}/B${pick(r, UPPER + DIGITS, 10)}/${secret}`,
      needle: secret,
    };
  },
  (r) => same('npm token', `npm_${token(r, ALNUM, 36)}`),
  (r) => same('gitlab token', `glpat-${token(r, URLSAFE, 20)}`),
  (r) => same('sendgrid key', `SG.${token(r, URLSAFE, 22)}.${token(r, URLSAFE, 43)}`),
  (r) => same('hugging face token', `hf_${token(r, ALNUM, 34)}`),
  (r) => {
    const secret = token(r, URLSAFE, 30);
    return { kind: 'bearer header', text: `Authorization: Bearer ${secret}`, needle: secret };
  },
  (r) => {
    const secret = token(r, URLSAFE, 24);
    return { kind: 'bearer in prose', text: `retry with Bearer ${secret} please`, needle: secret };
  },
  (r) => {
    const jwt = `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(`{"sub":"${pick(r, DIGITS, 8)}","exp":1999999999}`)}.${token(r, URLSAFE, 43)}`;
    return same('jwt', jwt);
  },
  (r) => {
    const password = `${pick(r, LOWER, 6)}!${pick(r, DIGITS, 3)}`;
    return {
      kind: 'password in JSON text',
      text: `config: {"user":"svc","password":"${password}"}`,
      needle: password,
    };
  },
  (r) => {
    const secret = `${pick(r, LOWER, 8)}${pick(r, DIGITS, 2)}`;
    return {
      kind: 'client secret in JSON text',
      text: `{"client_secret": "${secret}", "x": 1}`,
      needle: secret,
    };
  },
  (r) => {
    const password = `${pick(r, LOWER, 7)}${pick(r, DIGITS, 3)}`;
    return {
      kind: 'url userinfo',
      text: `postgres://admin:${password}@db.internal:5432/app`,
      needle: password,
    };
  },
  (r) => {
    const signature = pick(r, HEX, 64);
    return {
      kind: 'aws signed url',
      text: `https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${signature}&X-Amz-Expires=300`,
      needle: signature,
    };
  },
  (r) => {
    const signature = pick(r, URLSAFE, 43);
    return {
      kind: 'azure sas url',
      text: `https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&sig=${signature}`,
      needle: signature,
    };
  },
  (r) => {
    const secret = pick(r, LOWER + DIGITS, 16);
    return {
      kind: 'token query parameter',
      text: `https://api.example.com/v1/items?page=2&access_token=${secret}`,
      needle: secret,
    };
  },
  ...(
    [
      ['.env line', (pw: string) => `DEBUG=false\nDATABASE_PASSWORD=${pw}\nPORT=3000`],
      ['YAML member', (pw: string) => `database:\n  db_password: ${pw}\n  port: 5432`],
      ['properties line', (pw: string) => `spring.datasource.password=${pw}`],
      ['curl header mid-line', (pw: string) => `curl -H 'X-Auth-Token: ${pw}' https://api.example.com`],
      ['cookie header mid-line', (pw: string) => `curl -H "Cookie: sessionid=${pw}; theme=dark" -v`],
      ['compound query field', (pw: string) => `https://app.example.com/cb?state=1&auth_token=${pw}`],
      ['camelCase JSON member', (pw: string) => `{"userPassword": "${pw}", "user": "svc"}`],
      ['escaped JSON member', (pw: string) => `{\\"api_secret\\":\\"${pw}\\"}`],
      ['padded JSON key', (pw: string) => `{"password ": "${pw}"}`],
      ['aws credentials file (compound key)', (pw: string) => `[default]\naws_secret_access_key = ${pw}`],
    ] as const
  ).map(
    ([kind, write]): Maker =>
      (r) => {
        const password = `${pick(r, LOWER, 7)}${pick(r, DIGITS, 3)}`;
        return { kind, text: write(password), needle: password };
      },
  ),
];

/** Personal data makers: redacted in free text only (intent, feedback, unregistered tool names). */
const PERSONAL_MAKERS: Maker[] = [
  (r) => same('email', `${pick(r, LOWER, 6)}.${pick(r, LOWER, 5)}@${pick(r, LOWER, 7)}.com`),
  (r) => same('phone (US)', `(${pick(r, '23456789', 1)}${pick(r, DIGITS, 2)}) 555-${pick(r, DIGITS, 4)}`),
  (r) => same('phone (international)', `+44 20 7946 ${pick(r, DIGITS, 4)}`),
  (r) => same('email (non-ASCII)', `${pick(r, LOWER, 4)}é.garcía@${pick(r, LOWER, 5)}.example.com`),
  (r) => same('email (IDN domain)', `${pick(r, LOWER, 6)}@bücher-${pick(r, LOWER, 4)}.de`),
  (r) => same('phone (UK mobile)', `07700 900${pick(r, DIGITS, 3)}`),
  (r) => same('phone (UK landline)', `020 7946 0${pick(r, DIGITS, 3)}`),
  (r) => {
    const card = luhnComplete(`4${pick(r, DIGITS, 14)}`);
    return same(
      'card number',
      `${card.slice(0, 4)} ${card.slice(4, 8)} ${card.slice(8, 12)} ${card.slice(12)}`,
    );
  },
  (r) => same('card number (plain)', luhnComplete(`5${pick(r, '12345', 1)}${pick(r, DIGITS, 13)}`)),
  (r) =>
    same(
      'ssn',
      `${pick(r, '1234578', 1)}${pick(r, DIGITS, 2)}-${pick(r, '123456789', 1)}${pick(r, DIGITS, 1)}-${pick(r, '123456789', 1)}${pick(r, DIGITS, 3)}`,
    ),
  (r) => same('ipv4', `10.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}.${1 + Math.floor(r() * 250)}`),
];

function generate(makers: Maker[], count: number, seed: number): CorpusItem[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) =>
    (makers[n % makers.length] as Maker)(random, Math.floor(n / makers.length)),
  );
}

/** Credentials: 7 of each of the 41 formats (287 items). */
export const SECRETS: readonly CorpusItem[] = generate(SECRET_MAKERS, SECRET_MAKERS.length * 7, 1_001);

/** Personal data: 10 of each of the 11 kinds (110 items). */
export const PERSONAL_DATA: readonly CorpusItem[] = generate(
  PERSONAL_MAKERS,
  PERSONAL_MAKERS.length * 10,
  2_002,
);

/** Ordinary values that look a little like secrets and must reach the wire unchanged. */
export const ORDINARY: readonly string[] = (() => {
  const random = seededRandom(3_003);
  const values: string[] = [];
  for (let n = 0; n < 8; n++) {
    values.push(
      `${pick(random, HEX, 8)}-${pick(random, HEX, 4)}-7${pick(random, HEX, 3)}-a${pick(random, HEX, 3)}-${pick(random, HEX, 12)}`,
      pick(random, HEX, 40),
      `sha256:${pick(random, HEX, 64)}`,
      pick(random, HEX, 24),
      `01${pick(random, '0123456789ABCDEFGHJKMNPQRSTVWXYZ', 24)}`,
      `ses_${pick(random, HEX, 32)}`,
      `cus_${pick(random, ALNUM, 14)}`,
    );
  }
  values.push(
    'getCustomerInvoiceHistoryByMonthAndRegion',
    'customer_invoice_history_by_month_and_region',
    'src/components/dashboard/InsightVizDataTable.tsx',
    'https://posthog.com/docs/product-analytics/trends?tab=overview#breakdowns',
    '2026-06-01T12:34:56.789Z',
    'posthog-node@5.70.0',
    'kube-apiserver-ip-10-0-12-34.eu-west-1.compute.internal',
    'The quick brown fox jumps over the lazy dog',
    'Basic usage of the API is described in the README',
    'order #12345 shipped in 3 boxes',
    'token_count: 12',
    'max_tokens=4096',
    'tokens_used: 1234, tokenizer: cl100k_base',
    'password_policy_url=https://example.com/policy',
    'secret_santa_id: 42',
    'author: Jane Austen',
    'keyboard=qwerty monkey=business',
    'token_type: Bearer',
  );
  return values;
})();
