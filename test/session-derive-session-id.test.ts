import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSessionId } from '../src/session/derive-session-id.js';
import { newSessionId } from '../src/session/new-session-id.js';

const GOLDEN_VECTORS: [string, string][] = [
  ['0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f', 'ses_6df45f0102a182bcd5e8dd5dad6c65a0'],
  ['', 'ses_84222325cbf29ce4805967715e2fab98'],
  ['abc', 'ses_0541574b91af2a6c126301d3a7dcb510'],
  ['mcp-session-123', 'ses_ce26563743171e0409e1abaf955778b8'],
  ['héllo', 'ses_829d74bff3c5fa684e41a0e792dcfcac'],
  ['😀', 'ses_241b88d8a573a1014a3a627c2bf4387d'],
];

const DERIVED_PATTERN = /^ses_[0-9a-f]{32}$/;
const UUIDV7_SESSION_PATTERN = /^ses_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deriveSessionId', () => {
  it.each(GOLDEN_VECTORS)('derives %j as the cross-SDK golden vector', (input, expected) => {
    expect(deriveSessionId(input)).toBe(expected);
  });

  it('is deterministic and always ses_ followed by 32 lowercase hex digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const derived = deriveSessionId(input);
        return DERIVED_PATTERN.test(derived) && deriveSessionId(input) === derived;
      }),
    );
  });

  it('gives different inputs different ids', () => {
    expect(deriveSessionId('session-a')).not.toBe(deriveSessionId('session-b'));
  });

  it('hashes a long input in full', () => {
    const long = 'x'.repeat(100_000);
    expect(deriveSessionId(long)).toMatch(DERIVED_PATTERN);
    expect(deriveSessionId(long)).not.toBe(deriveSessionId(`${long}y`));
  });

  it('coerces a non-string input instead of throwing', () => {
    const unhelpful = {
      toString() {
        throw new Error('no');
      },
    };
    const inputs: unknown[] = [undefined, null, 42, Symbol('s'), unhelpful, Object.create(null)];
    for (const input of inputs) {
      expect(deriveSessionId(input as string)).toMatch(DERIVED_PATTERN);
    }
    expect(deriveSessionId(42 as unknown as string)).toBe(deriveSessionId('42'));
    expect(deriveSessionId(unhelpful as unknown as string)).toBe(deriveSessionId(''));
  });
});

describe('newSessionId', () => {
  it('generates ses_ followed by a lowercase UUIDv7', () => {
    expect(newSessionId()).toMatch(UUIDV7_SESSION_PATTERN);
  });

  it('generates a different id every time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newSessionId()));
    expect(ids.size).toBe(1000);
  });
});
