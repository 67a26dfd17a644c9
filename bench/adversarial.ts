/** Crafted text for every redaction pass, and the passes to time on it (shared by the bench and the growth test). */
import { MAX_PAYLOAD_STRING_CHARS } from '../src/pipeline/limits';
import { PERSONAL_PASSES } from '../src/pipeline/personal-data';
import { redactPersonalData, redactSecrets, SECRET_PASSES } from '../src/pipeline/redact';
import { sanitizeFreeText, sanitizeText } from '../src/pipeline/sanitize';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';

/** `unit` repeated and cut to exactly `size` characters. */
export const fill = (unit: string, size: number): string =>
  unit.repeat(Math.ceil(size / Math.max(1, unit.length))).slice(0, size);

/** Units repeated to the full size: each pass's prefixes, separators and near-misses of what it looks for. */
const UNITS = [
  // secret-named keys, headers, assignments, URL fields
  ':',
  '=',
  ' :',
  '":',
  '"a":',
  "'a':",
  '\\":',
  '"":',
  'a:',
  'a=',
  'a: ',
  'a =',
  '?a=',
  '&token',
  'password',
  'password:',
  'password=',
  'password=x ',
  '"password":',
  '"password": "',
  '"token":[',
  "'x-api-key: ",
  '-H "Cookie: ',
  'export A=',
  ' a=',
  'authorization=',
  'x-auth-token: ',
  '\n password: ',
  '- ',
  // private keys, URLs, schemes
  '-----BEGIN ',
  '-----BEGIN PRIVATE KEY-----\n',
  'http://',
  'a://',
  '://',
  'a://a',
  'a://a:b',
  'a+',
  'a.',
  'Bearer ',
  'Basic ',
  'Bearer aaaaaaaa ',
  // known key formats
  'AKIA',
  'ghp_',
  'ghp_aaaa',
  'github_pat_',
  'sk_live_',
  'whsec_',
  'sk-',
  'xoxb-',
  'AIza',
  'glpat-',
  'npm_',
  'hf_',
  'SG.',
  'SG.aaaaaaaaaaaaaaaa.',
  'hooks.slack.com/services/',
  'eyJ',
  '-eyJ',
  '.eyJ',
  'eyJaaaaa.',
  'eyJaaaaa.eyJ',
  'phc_',
  'pha_',
  'aB3',
  'Ab9+',
  'a',
  ' ',
  '\t',
  '"',
  "'",
  '\n',
  '\\',
  // personal data
  '@',
  'a@',
  '@a',
  'a@b.',
  'a@b',
  'é@',
  'a@é.',
  'first.last@mail',
  '1.',
  '255.255.255.',
  '1:',
  'a1:',
  '::',
  'a:',
  '123-45-',
  '1 ',
  '1-',
  '1',
  '+1 (',
  '+1 ',
  '(123) 456-',
  '0',
  '07700 ',
  '020 7946 ',
  '2',
  '1.2',
  '4155552671 ',
];

/** A prefix followed by one character repeated to the full size: unclosed values, unterminated runs. */
const PREFIXED: readonly [string, string][] = [
  ['"password": "', 'x'],
  ['"password": "', '\\a'],
  ['"token":[', 'a,'],
  ['"token":{', '{'],
  ['password: ', 'a'],
  ['password=', 'a'],
  ['password=', 'a '],
  ["-H 'Cookie: ", 'a'],
  ['-----BEGIN RSA PRIVATE KEY-----', 'A\\n'],
  ['http://', 'a'],
  ['eyJ', 'a'],
  ['a@', 'b.'],
  ['authorization:', ' \t'],
  ['Bearer', ' '],
  ['+', '1 '],
  ['a'.repeat(64), '@'],
];

/** Every crafted input at `size` characters, by name. */
export function adversarialInputs(size: number): Map<string, string> {
  const inputs = new Map<string, string>();
  for (const unit of UNITS) inputs.set(`${JSON.stringify(unit)} repeated`, fill(unit, size));
  for (const [prefix, body] of PREFIXED) {
    inputs.set(
      `${JSON.stringify(prefix)} then ${JSON.stringify(body)} repeated`,
      prefix + fill(body, size - prefix.length),
    );
  }
  return inputs;
}

/** One timed unit of work on a string. */
export interface TimedPass {
  readonly name: string;
  readonly run: (text: string) => unknown;
}

/** Each secret and personal-data pass on its own, then the redaction and sanitizing functions as wholes. */
export const TIMED_PASSES: readonly TimedPass[] = [
  ...SECRET_PASSES.map((pass) => ({ name: `secret pass: ${pass.name}`, run: pass.apply })),
  ...PERSONAL_PASSES.map((pass) => ({ name: `personal pass: ${pass.name}`, run: pass.apply })),
  { name: 'redactSecrets', run: redactSecrets },
  { name: 'redactPersonalData', run: redactPersonalData },
  { name: 'sanitizeText', run: (text) => sanitizeText(text, MAX_PAYLOAD_STRING_CHARS) },
  { name: 'sanitizeFreeText', run: (text) => sanitizeFreeText(text, MAX_PAYLOAD_STRING_CHARS) },
  { name: 'sanitizePayload', run: (text) => sanitizePayload({ text, list: [text] }) },
];

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * The best of `runs` timings of `pass` on `text`, in milliseconds of this process's CPU time: unlike wall time,
 * it does not grow when other processes take the cores, so a growth ratio stays meaningful on a busy machine.
 */
export function bestTimeMs(pass: TimedPass, text: string, runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = cpuMs();
    pass.run(text);
    best = Math.min(best, cpuMs() - start);
  }
  return best;
}
