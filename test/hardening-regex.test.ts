import { describe, expect, it } from 'vitest';
import { MIN_BINARY_CHARS, REDACTED } from '../src/pipeline/limits';
import { isBinaryString, redactPersonalData, redactSecrets } from '../src/pipeline/redact';
import { sanitizeFreeText, sanitizeText } from '../src/pipeline/sanitize';

const N = 1_000_000;
const times = (unit: string, length = N): string => unit.repeat(Math.ceil(length / unit.length));

/**
 * One-megabyte strings aimed at each redaction regex: long runs of what a pattern consumes, prefixes it
 * backtracks over, and separators it retries from. Each is run once through every pass; a catastrophic
 * regex would take seconds here (the benchmark reports the timings).
 */
const ADVERSARIAL: Record<string, string> = {
  'private key without an end': `-----BEGIN RSA PRIVATE KEY-----${times('A')}`,
  'repeated private key headers': times('-----BEGIN PRIVATE KEY-----\n'),
  'repeated JSON secret keys': times('"password": '),
  'an unclosed JSON secret string': `"password":"${times('\\a')}`,
  'an unclosed JSON secret array': `"token":[${times('a,')}`,
  'header-style key and spaces': `authorization:${times(' \t')}`,
  'scheme without userinfo': `http://${times('a')}`,
  'repeated schemes': times('a://'),
  'repeated query keys': times('?token='),
  'repeated authorization=': times('authorization='),
  'repeated Bearer': times('Bearer '),
  'repeated key prefixes': times(
    'AKIA ghp_ github_pat_ sk_live_ whsec_ sk- xoxb- AIza glpat- npm_ SG. eyJ phc_ ',
  ),
  'a JWT-shaped run without dots': `eyJ${times('a')}`,
  'JWT segments without a third part': times(`eyJ${'a'.repeat(4_000)}.`),
  'a token run of one character': times('a'),
  'a low-entropy mixed run': times('aB3'),
  'local parts without domains': times('a@'),
  'a domain without a TLD': `a@${times('b.')}`,
  'dotted numbers': times('1.'),
  'almost-IPs': times('255.255.255.'),
  colons: times(':'),
  'hex and colons': times('a:'),
  'almost-SSNs': times('123-45-'),
  'digit runs with spaces': times('1 '),
  'digit runs with dashes': times('1-'),
  digits: times('1'),
  'plus signs and digits': times('+1 ('),
  'almost-phones': times('(123) 456-'),
  quotes: times('"'),
  newlines: times('\n'),
};

describe('redaction passes on one-megabyte adversarial strings', () => {
  it.each(Object.entries(ADVERSARIAL))('%s: every pass returns a string without throwing', (_, text) => {
    expect(typeof redactSecrets(text)).toBe('string');
    expect(typeof redactPersonalData(text)).toBe('string');
    expect(typeof isBinaryString(text)).toBe('boolean');
    expect(sanitizeText(text, 32_768).length).toBeLessThanOrEqual(32_768);
    expect((sanitizeFreeText(text) ?? '').length).toBeLessThanOrEqual(2_048);
  });

  it('runs that are not credentials come back unchanged', () => {
    for (const name of [
      'a token run of one character',
      'a low-entropy mixed run',
      'digits',
      'colons',
      'quotes',
    ]) {
      const text = ADVERSARIAL[name] ?? '';
      expect(redactPersonalData(redactSecrets(text))).toBe(text);
    }
  });
});

/** Near misses: shaped almost like a secret or personal datum, and not one. */
const NEAR_MISSES: [string, string][] = [
  ['an address without a TLD', 'mail admin@localhost now'],
  ['a one-letter TLD', 'see a@b.c'],
  ['a URL with a query and no credentials', 'https://example.com/path?page=2&sort=asc#top'],
  ['an @ in a URL path', 'https://example.com/@someone/posts'],
  ['a key that only starts like sig', 'https://example.com/?signal=5&signup=1'],
  ['a version number', 'node 20.20.0 and 1.2.3.4.5'],
  ['an out-of-range IP', '999.999.999.999'],
  ['a short SSN-like id', 'ref 123-45-678'],
  ['a Luhn-invalid card', '4111 1111 1111 1112'],
  ['a C++ scope', 'std::vector::size'],
  ['a camelCase identifier', 'getCustomerInvoiceHistoryByMonthAndRegionForTheLastTwelveMonths'],
  ['a lowercase hex digest', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['Basic prose', 'Basic authentication is disabled'],
];

describe('near misses', () => {
  it.each(NEAR_MISSES)('%s is left alone in free text', (_, text) => {
    expect(redactPersonalData(redactSecrets(text))).toBe(text);
  });

  it('base64 one character short of the binary threshold is not binary; at the threshold it is', () => {
    const block = times('QUJD', MIN_BINARY_CHARS);
    expect(isBinaryString(block.slice(0, MIN_BINARY_CHARS - 1))).toBe(false);
    expect(isBinaryString(block.slice(0, MIN_BINARY_CHARS))).toBe(true);
    expect(isBinaryString(`${block.slice(0, MIN_BINARY_CHARS)} and prose at the end`)).toBe(false);
  });

  it('the real thing next to each near miss is still redacted', () => {
    expect(redactPersonalData('mail admin@example.com now')).toBe(`mail ${REDACTED} now`);
    expect(redactSecrets('https://u:p4ss@example.com/?sig=abc')).not.toContain('p4ss');
    expect(redactPersonalData('ref 123-45-6789')).toBe(`ref ${REDACTED}`);
    expect(redactPersonalData('4111 1111 1111 1111')).toBe(REDACTED);
  });
});
