import { describe, expect, it } from 'vitest';
import { memoizeText } from '../src/pipeline/memo';
import { isSecretKey } from '../src/pipeline/redact';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';

describe('memoizeText', () => {
  it('computes a short input once, a long one every time, and stays within its entries', () => {
    const calls: string[] = [];
    const lengthOf = memoizeText(
      (text) => {
        calls.push(text);
        return text.length;
      },
      3,
      5,
    );
    expect([lengthOf('ab'), lengthOf('ab'), lengthOf('abcdef'), lengthOf('abcdef')]).toEqual([2, 2, 6, 6]);
    expect(calls).toEqual(['ab', 'abcdef', 'abcdef']);
    for (const text of ['c', 'd', 'e']) lengthOf(text);
    lengthOf('ab');
    // The fourth distinct input cleared the three before it, so 'ab' is computed again.
    expect(calls.filter((text) => text === 'ab')).toHaveLength(2);
  });

  it('remembers falsy results too', () => {
    let calls = 0;
    const never = memoizeText(
      () => {
        calls++;
        return false;
      },
      10,
      10,
    );
    never('x');
    never('x');
    expect(calls).toBe(1);
  });
});

describe('remembered key checks answer as before, however often and in whatever order', () => {
  const keys = [
    'password',
    'token_count',
    'x-auth-token',
    'signup_source',
    'apiKey',
    '__proto__',
    'a'.repeat(200),
  ];
  it('isSecretKey gives the same answer on first and later calls', () => {
    const first = keys.map(isSecretKey);
    for (let round = 0; round < 3; round++) expect(keys.map(isSecretKey)).toEqual(first);
    expect(first.slice(0, 4)).toEqual([true, false, true, false]);
  });

  it('sanitizePayload redacts a secret-named key and sanitizes a credential-shaped key every time', () => {
    const secretKey = 'sk-proj-AbC123dEf456GhI789jKl012MnO345';
    for (let round = 0; round < 3; round++) {
      const copy = sanitizePayload({ password: 'hunter2', [secretKey]: 1, plan: 'team' }) as Record<
        string,
        unknown
      >;
      expect(copy.password).toBe('[redacted]');
      expect(Object.keys(copy)).not.toContain(secretKey);
      expect(copy.plan).toBe('team');
    }
  });
});
