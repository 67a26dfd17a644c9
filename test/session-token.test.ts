import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSessionToken,
  encodeSessionToken,
  MAX_SESSION_TOKEN_CHARS,
  MCP_SESSION_HEADER,
  type SessionTokenPayload,
} from '../src/session/session-token.js';
import { NOT_TOKENS } from './helpers/forged-tokens';

const toBase64Url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('encodeSessionToken', () => {
  it('encodes unpadded base64url of compact JSON with keys in wire order', () => {
    const token = encodeSessionToken({ pv: '2025-06-18', cv: '1.0.0', cn: 'claude-code', sid: 'ses_abc' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token ?? '', 'base64url').toString('utf8')).toBe(
      '{"sid":"ses_abc","cn":"claude-code","cv":"1.0.0","pv":"2025-06-18"}',
    );
  });

  it('encodes only sid when nothing else is known', () => {
    expect(encodeSessionToken({ sid: 'ses_abc' })).toBe(toBase64Url('{"sid":"ses_abc"}'));
  });

  it('round-trips through decode', () => {
    const payload: SessionTokenPayload = { sid: 'ses_ünïcode😀', cn: 'client', cv: '2', pv: '2025-11-25' };
    expect(decodeSessionToken(encodeSessionToken(payload))).toEqual(payload);
  });

  it('leaves out optional fields that are not strings', () => {
    const payload = { sid: 'ses_abc', cn: 42, cv: null, extra: 'x' } as unknown as SessionTokenPayload;
    expect(decodeSessionToken(encodeSessionToken(payload))).toEqual({ sid: 'ses_abc' });
  });

  it('cuts optional fields to 256 characters', () => {
    const decoded = decodeSessionToken(encodeSessionToken({ sid: 's', cn: 'n'.repeat(1000) }));
    expect(decoded?.cn).toBe('n'.repeat(256));
  });

  it.each([
    ['an empty sid', { sid: '' }],
    ['a sid of 129 characters', { sid: 'x'.repeat(129) }],
    ['a sid that is not a string', { sid: 42 }],
    ['no sid', {}],
    ['no payload', null],
  ])('refuses %s with null', (_label, payload) => {
    expect(encodeSessionToken(payload as unknown as SessionTokenPayload)).toBeNull();
  });

  it('accepts a sid of exactly 128 characters', () => {
    expect(decodeSessionToken(encodeSessionToken({ sid: 'x'.repeat(128) }))).toEqual({
      sid: 'x'.repeat(128),
    });
  });

  it('refuses with null a token that would exceed 4,096 characters', () => {
    // A control character is six bytes of JSON (\u0001), so these fields fit their limits but not the token.
    const wide = '\u0001'.repeat(256);
    expect(encodeSessionToken({ sid: wide.slice(0, 128), cn: wide, cv: wide, pv: wide })).toBeNull();
    expect(encodeSessionToken({ sid: 's', cn: wide })).not.toBeNull();
  });

  it('always yields a decodable token within 4,096 characters or null', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string()), fc.option(fc.string()), (sid, cn, cv) => {
        const payload: SessionTokenPayload = { sid };
        if (cn !== null) payload.cn = cn;
        if (cv !== null) payload.cv = cv;
        const token = encodeSessionToken(payload);
        if (token === null) return sid.length === 0 || sid.length > 128;
        return token.length <= MAX_SESSION_TOKEN_CHARS && decodeSessionToken(token)?.sid === sid;
      }),
    );
  });
});

describe('decodeSessionToken', () => {
  it('accepts base64 padding', () => {
    for (const sid of ['ses_ab', 'ses_abc']) {
      const unpadded = toBase64Url(JSON.stringify({ sid }));
      expect(unpadded.length % 4).not.toBe(0);
      const padded = unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, '=');
      expect(decodeSessionToken(padded)).toEqual({ sid });
    }
  });

  it('copies only sid, cn, cv and pv, and only string ones', () => {
    const token = toBase64Url('{"sid":"s","cn":"n","cv":1,"pv":"p","admin":true}');
    expect(decodeSessionToken(token)).toEqual({ sid: 's', cn: 'n', pv: 'p' });
  });

  it('cuts decoded optional fields to 256 characters', () => {
    const token = toBase64Url(JSON.stringify({ sid: 's', pv: 'p'.repeat(300) }));
    expect(decodeSessionToken(token)?.pv).toHaveLength(256);
  });

  it('does not let a __proto__ key pollute the result or Object.prototype', () => {
    const token = toBase64Url('{"sid":"s","__proto__":{"polluted":true,"cn":"evil"}}');
    const decoded = decodeSessionToken(token);
    expect(decoded).toEqual({ sid: 's' });
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(NOT_TOKENS)('returns null for %s', (_label, value) => {
    expect(decodeSessionToken(value)).toBeNull();
  });

  it('returns null for a value over 4,096 characters even when it would decode', () => {
    const token = toBase64Url(JSON.stringify({ sid: 's', cn: 'n'.repeat(3100) }));
    expect(token.length).toBeGreaterThan(MAX_SESSION_TOKEN_CHARS);
    expect(decodeSessionToken(token)).toBeNull();
  });

  it('returns null for a 10 MB value without decoding it', () => {
    const started = performance.now();
    expect(decodeSessionToken('A'.repeat(10 * 1024 * 1024))).toBeNull();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it.each([[undefined], [null], [42], [{ sid: 's' }], [['eyJzaWQiOiJzIn0']]])(
    'returns null for the non-string %j',
    (value) => {
      expect(decodeSessionToken(value)).toBeNull();
    },
  );

  it('never throws on any string, anything or encoded JSON, and only ever returns sid, cn, cv and pv strings with a 1–128 character sid', () => {
    const encoded = (value: unknown): string => {
      try {
        return toBase64Url(JSON.stringify(value) ?? '');
      } catch {
        return '';
      }
    };
    const values = fc.oneof(
      fc.string(),
      fc.base64String(),
      fc.string({ unit: 'binary' }),
      fc.anything(),
      fc.anything().map(encoded),
      fc.jsonValue().map(encoded),
      fc.record({ sid: fc.anything() }).map(encoded),
    );
    fc.assert(
      fc.property(values, (value) => {
        const decoded = decodeSessionToken(value);
        if (decoded === null) return true;
        const keysAreKnown = Object.keys(decoded).every((key) => ['sid', 'cn', 'cv', 'pv'].includes(key));
        const valuesAreStrings = Object.values(decoded).every((field) => typeof field === 'string');
        return keysAreKnown && valuesAreStrings && decoded.sid.length >= 1 && decoded.sid.length <= 128;
      }),
      { numRuns: 4000 },
    );
  });
});

describe('MCP_SESSION_HEADER', () => {
  it('is the lowercase name Node gives the Mcp-Session-Id header', () => {
    expect(MCP_SESSION_HEADER).toBe('mcp-session-id');
  });
});
