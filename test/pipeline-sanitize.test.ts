import { describe, expect, it } from 'vitest';
import {
  BINARY_PLACEHOLDER,
  MAX_DEPTH,
  MAX_ENTRIES,
  MAX_KEY_CHARS,
  MAX_NAME_CHARS,
  MAX_PAYLOAD_STRING_CHARS,
  MAX_TEXT_CHARS,
} from '../src/pipeline/limits';
import { MARKER, sanitizeFreeText, sanitizeName, sanitizeText } from '../src/pipeline/sanitize';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';

describe('sanitizeText', () => {
  it.each([
    ['a short string', 'hello', 10, 'hello'],
    ['a string over the limit', 'abcdefghij', 4, 'abcd'],
    ['a cut that would split a surrogate pair', 'a😀b', 2, 'a'],
    ['a lone surrogate', 'a\uD800b', 10, 'a\uFFFDb'],
    ['a lone low surrogate', '\uDC00x', 10, '\uFFFDx'],
    ['a data URL', 'data:image/png;base64,iVBORw0KGgo=', 100, BINARY_PLACEHOLDER],
    ['a secret', 'url https://u:p@h.test/', 100, 'url https://[redacted]@h.test/'],
  ])('handles %s', (_label, input, limit, expected) => {
    expect(sanitizeText(input, limit)).toBe(expected);
  });

  it('redacts personal data only in free text', () => {
    expect(sanitizeText('mail ada@example.com', 100)).toBe('mail ada@example.com');
    expect(sanitizeText('mail ada@example.com', 100, { freeText: true })).toBe('mail [redacted]');
  });

  it('sees a secret that crosses the limit whole before cutting', () => {
    const text = `${'x'.repeat(90)} phc_abcdefghijklmnopqrstuvwxyz0123`;
    expect(sanitizeText(text, 100)).toBe(`${'x'.repeat(90)} [redacted]`.slice(0, 100));
  });

  it('drops the scan margin when the first cut removed text and a redaction shortened it', () => {
    const text = `phc_${'a'.repeat(40)} ${'y'.repeat(3_000)}`;
    expect(sanitizeText(text, 100)).toBe(`[redacted] ${'y'.repeat(55)}`);
  });

  it('bounds a 2 MB text to the limit and keeps its start', () => {
    const text = `start ${'lorem ipsum '.repeat(180_000)}`;
    const out = sanitizeText(text, MAX_PAYLOAD_STRING_CHARS);
    expect(out.length).toBe(MAX_PAYLOAD_STRING_CHARS);
    expect(out.startsWith('start lorem')).toBe(true);
  });

  it('replaces a 10 MB base64 string with the binary placeholder', () => {
    expect(sanitizeText('QUJD'.repeat(2_500_000), MAX_PAYLOAD_STRING_CHARS)).toBe(BINARY_PLACEHOLDER);
  });

  it('redacts the credentials of the upstream error-message scenario', () => {
    const out = sanitizeText('GET https://svc:hunter2@internal.test/doc?token=abc failed', MAX_TEXT_CHARS);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('token=abc');
  });
});

describe('sanitizeName and sanitizeFreeText', () => {
  it.each([
    [42, undefined],
    [null, undefined],
    ['', undefined],
    ['   ', undefined],
    ['search_docs', 'search_docs'],
    ['n'.repeat(300), 'n'.repeat(MAX_NAME_CHARS)],
  ])('sanitizeName(%j) is %j', (input, expected) => {
    expect(sanitizeName(input)).toBe(expected);
  });

  it.each([
    [undefined, undefined],
    [' \n ', undefined],
    ['find docs for ada@example.com', 'find docs for [redacted]'],
    ['t'.repeat(3_000), 't'.repeat(MAX_TEXT_CHARS)],
  ])('sanitizeFreeText(%j) is %j', (input, expected) => {
    expect(sanitizeFreeText(input)).toBe(expected);
  });

  it('honours a smaller free-text limit', () => {
    expect(sanitizeFreeText('abcdef', 3)).toBe('abc');
  });
});

describe('sanitizePayload', () => {
  it.each([
    ['a BigInt', 123n, '[bigint 123]'],
    ['a function', () => 1, MARKER.function],
    ['a symbol', Symbol('s'), MARKER.symbol],
    ['NaN', Number.NaN, MARKER.nonFinite],
    ['Infinity', Number.POSITIVE_INFINITY, MARKER.nonFinite],
    ['an invalid date', new Date(Number.NaN), MARKER.invalidDate],
    ['a valid date', new Date(Date.UTC(2026, 10, 23)), '2026-11-23T00:00:00.000Z'],
    ['a Buffer', Buffer.from('abc'), BINARY_PLACEHOLDER],
    ['a typed array', new Float64Array(3), BINARY_PLACEHOLDER],
    ['an ArrayBuffer', new ArrayBuffer(8), BINARY_PLACEHOLDER],
    ['null', null, null],
    ['a number', 4.5, 4.5],
    [
      'a Map',
      new Map<unknown, unknown>([
        ['a', 1],
        [2, 'b'],
        ['token', 'x'],
      ]),
      { a: 1, '2': 'b', token: '[redacted]' },
    ],
    ['a Set', new Set([1, 'a']), [1, 'a']],
    [
      'an Error',
      new TypeError('bad https://u:p@h.test'),
      { name: 'TypeError', message: 'bad https://[redacted]@h.test' },
    ],
    ['an object with toJSON', { toJSON: () => ({ v: 1 }) }, { v: 1 }],
    ['undefined inside an array', [1, undefined, 2], [1, null, 2]],
    ['undefined inside an object', { a: undefined, b: 1 }, { b: 1 }],
    [
      'secret keys',
      { api_key: 'sk-live-123', Password: { nested: 1 }, url: 'x' },
      { api_key: '[redacted]', Password: '[redacted]', url: 'x' },
    ],
  ])('turns %s into a JSON-safe value', (_label, input, expected) => {
    expect(sanitizePayload(input)).toEqual(expected);
  });

  it('marks a cycle and keeps shared references that are not cycles', () => {
    const shared = { n: 1 };
    const root: Record<string, unknown> = { a: shared, b: shared };
    root.self = root;
    expect(sanitizePayload(root)).toEqual({ a: { n: 1 }, b: { n: 1 }, self: MARKER.circular });
  });

  it('marks a throwing getter and a throwing proxy as unreadable', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
      },
    );
    expect(sanitizePayload({ getter, proxy })).toEqual({
      getter: { ok: 1, bad: MARKER.unreadable },
      proxy: MARKER.unreadable,
    });
  });

  it('never reads the value behind a secret key', () => {
    let reads = 0;
    const input = Object.defineProperty({}, 'token', { enumerable: true, get: () => ++reads });
    expect(sanitizePayload(input)).toEqual({ token: '[redacted]' });
    expect(reads).toBe(0);
  });

  it('replaces containers deeper than the depth limit with a marker', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < MAX_DEPTH + 2; level++) deep = { next: deep };
    let out = sanitizePayload(deep);
    let levels = 0;
    while (typeof out === 'object' && out !== null) {
      levels++;
      out = (out as { next: unknown }).next;
    }
    expect(levels).toBe(MAX_DEPTH);
    expect(out).toBe(MARKER.maxDepth);
  });

  it('keeps the first entries of large arrays, objects and sparse arrays', () => {
    const big = Array.from({ length: 150 }, (_, index) => index);
    const wide = Object.fromEntries(big.map((index) => [`k${index}`, index]));
    const sparse: unknown[] = [];
    sparse.length = 1_000_000;
    const out = sanitizePayload({ big, wide, sparse }) as Record<string, unknown[]>;
    expect(out.big).toEqual(big.slice(0, MAX_ENTRIES));
    expect(Object.keys(out.wide ?? {})).toHaveLength(MAX_ENTRIES);
    expect(out.sparse).toEqual(Array(MAX_ENTRIES).fill(null));
  });

  it('cuts keys and strings to their limits', () => {
    const out = sanitizePayload({ ['k'.repeat(300)]: 's'.repeat(100) }, { maxStringChars: 10 });
    expect(out).toEqual({ ['k'.repeat(MAX_KEY_CHARS)]: 's'.repeat(10) });
  });

  it('copies prototype-pollution keys as plain data without touching Object.prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}');
    const out = sanitizePayload(input) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(out))).toEqual(input);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns a copy and leaves the input untouched', () => {
    const input = { list: [1, { a: 'b' }], password: 'p' };
    const before = structuredClone(input);
    const out = sanitizePayload(input) as typeof input;
    expect(out).not.toBe(input);
    expect(out.list).not.toBe(input.list);
    expect(input).toEqual(before);
  });

  it('redacts a credential in a JSON text copy of the result', () => {
    const result = { content: [{ type: 'text', text: '{"user":"ada","password":"hunter2"}' }] };
    expect(sanitizePayload(result)).toEqual({
      content: [{ type: 'text', text: '{"user":"ada","password":"[redacted]"}' }],
    });
  });
});
