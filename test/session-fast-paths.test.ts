import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/pipeline/redact';
import { isPlainSessionId } from '../src/request/identity';
import { decodeSessionToken } from '../src/session/session-token';
import { seededRandom } from './helpers/seeded';

const pick = (next: () => number, chars: string): string => chars[Math.floor(next() * chars.length)] ?? '';
const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64url');

describe('decodeSessionToken skips only text that cannot decode to a JSON object', () => {
  it('a token after any JSON whitespace still decodes', () => {
    for (const prefix of ['', ' ', '\t', '\n', '\r', ' \t', '\r\n', '\n\n\n', '\t \r ']) {
      for (const body of ['{"sid":"ses_1"}', '{ "sid": "ses_1", "cn": "c" }', '{"sid":"ses_1"}  ']) {
        expect(decodeSessionToken(b64(`${prefix}${body}`))?.sid, JSON.stringify(prefix + body)).toBe('ses_1');
      }
    }
  });

  it('every other first byte before a valid object is refused, as it was', () => {
    for (let byte = 0; byte < 256; byte++) {
      const token = b64(Buffer.concat([Buffer.from([byte]), Buffer.from('{"sid":"ses_1"}')]));
      const whitespace = [9, 10, 13, 32].includes(byte);
      expect(decodeSessionToken(token)?.sid, `first byte ${byte}`).toBe(whitespace ? 'ses_1' : undefined);
    }
  });

  it('plain ids, UUIDs and short text decode to nothing', () => {
    for (const value of ['', 'e', 'C', 'e3', 'e30', '0195f7a2-7c1e-7b3d-9a4f-3c2b1a0f9e8d', 'ses_abc']) {
      expect(decodeSessionToken(value)).toBeNull();
    }
  });
});

describe('a one-case hex session id is plain without the secret scan', () => {
  it('no secret pass changes one-case hex text with hyphens (2,000 seeded ids, 1 to 128 characters)', () => {
    const next = seededRandom(12);
    for (let i = 0; i < 2_000; i++) {
      const chars = i % 2 === 0 ? '0123456789abcdef-' : '0123456789ABCDEF-';
      const length = 1 + Math.floor(next() * 128);
      const id = Array.from({ length }, () => pick(next, chars)).join('');
      expect(redactSecrets(id), id).toBe(id);
      expect(isPlainSessionId(id), id).toBe(true);
    }
  });

  it('mixed-case or credential-shaped ids still meet the scan', () => {
    const mixed = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';
    expect(isPlainSessionId(mixed)).toBe(redactSecrets(mixed) === mixed);
    expect(isPlainSessionId('sk-proj-AbC123dEf456GhI789jKl012MnO345')).toBe(false);
    expect(isPlainSessionId('ghp_0123456789abcdefABCDEF0123456789abcd')).toBe(false);
    expect(isPlainSessionId('0195f7a2-7c1e-7b3d-9a4f-3c2b1a0f9e8d')).toBe(true);
  });
});
