import { describe, expect, it } from 'vitest';
import { redactSecrets, SECRET_PASSES } from '../src/pipeline/redact';
import { seededRandom } from './helpers/seeded';

/**
 * `redactSecrets` skips passes behind cheap prefilters (a native search for `:`, `=` and `B`, and a probe for runs
 * of 15 token characters). A prefilter may only skip what could not have matched: every input must come out
 * exactly as running every pass, ungated, would leave it.
 */
const ungated = (text: string): string => SECRET_PASSES.reduce((out, pass) => pass.apply(out), text);

const ALPHABETS: [string, string][] = [
  ['token characters and a space', 'aZ9_-+/= '],
  ['mixed-case letters, digits and punctuation', 'abcXYZ0123456789 .,;!?\n'],
  ['secret prefixes', 'skghp_AKIAeyJxox-whsec_phc_SG.glpat-'],
  ['non-ASCII between token characters', 'aZ9\u00e9\u4e2d\ud83d\ude00 '],
];

function randomText(next: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

describe('the secret prefilters never skip a pass that would match', () => {
  it.each(ALPHABETS)('random text from %s', (_, alphabet) => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = seededRandom(seed);
      const text = randomText(next, alphabet, Math.floor(next() * 200));
      expect(redactSecrets(text), `seed ${seed}: ${JSON.stringify(text)}`).toBe(ungated(text));
    }
  });

  it.each([13, 14, 15, 16, 31, 32, 33, 40])(
    'a random-looking token of %i characters at every offset in prose',
    (runLength) => {
      const token = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC2eF4hJ6'.repeat(2).slice(0, runLength);
      for (let offset = 0; offset <= 40; offset++) {
        const text = `${'lorem ipsum '.repeat(4).slice(0, offset)}${token} dolor sit amet`;
        expect(redactSecrets(text), JSON.stringify(text)).toBe(ungated(text));
      }
    },
  );

  // The shortest runs a pass needs: a Slack token is 15 token characters (`xoxb-` and ten), an AWS key id 20.
  it.each(['xoxb-0123456789', 'xoxp-abcdefghij', 'AKIAIOSFODNN7EXAMPLE'])(
    'the shortest secret %s between runs of punctuation, at every offset',
    (secret) => {
      for (let offset = 0; offset <= 64; offset++) {
        for (const filler of [' ', '.,;!? ', ' \n\t', 'ab ', 'a.b.c ']) {
          const text = `${filler.repeat(offset).slice(0, offset)} ${secret} ${filler.repeat(70).slice(0, 70 - offset)}`;
          const redacted = redactSecrets(text);
          expect(redacted, JSON.stringify(text)).toBe(ungated(text));
          expect(redacted).not.toContain(secret);
        }
      }
    },
  );

  it('long prose with one secret at the start, the middle or the end', () => {
    const prose = 'the quick report lists open invoices for the north region '.repeat(200);
    for (const secret of [
      'ghp_0123456789abcdefghijABCDEFGHIJ012345',
      'AKIAIOSFODNN7EXAMPLE',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
    ]) {
      for (const text of [`${secret} ${prose}`, `${prose}${secret} ${prose}`, `${prose}${secret}`]) {
        const redacted = redactSecrets(text);
        expect(redacted).toBe(ungated(text));
        expect(redacted).not.toContain(secret);
      }
    }
  });
});
