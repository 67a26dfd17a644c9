import { describe, expect, it } from 'vitest';
import { boundProperties } from '../src/pipeline/bound';
import { fitsJsonBytes, jsonByteLength, jsonBytesAtMost } from '../src/pipeline/json-size';
import { HAZARD_CHARS, seededRandom } from './helpers/seeded';

const CHARS = HAZARD_CHARS;
const NUMBERS = [
  0,
  -0,
  1,
  -1.7976931348623157e308,
  5e-324,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  123456789.123,
];
const ODD = [undefined, null, true, false, () => 1, Symbol('s')];

function value(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 4 ? 3 : 5));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  // Up to 200 characters: a string over 64 is bounded at three bytes a unit unless it holds a six-byte escape.
  if (kind === 0) return Array.from({ length: Math.floor(next() * 200) }, () => pick(CHARS)).join('');
  if (kind === 1) return pick(NUMBERS);
  if (kind === 2) return pick(ODD);
  const size = Math.floor(next() * 6);
  if (kind === 3) return Array.from({ length: size }, () => value(next, depth + 1));
  const record: Record<string, unknown> = kind === 4 && next() < 0.2 ? Object.create(null) : {};
  for (let i = 0; i < size; i++) record[`${pick(CHARS)}k${i}`] = value(next, depth + 1);
  return record;
}

describe('jsonBytesAtMost is an upper bound on the compact UTF-8 JSON size', () => {
  it('never under-counts 3,000 seeded values (escapes, surrogates, extreme numbers, omitted members)', () => {
    const next = seededRandom(7);
    for (let i = 0; i < 3_000; i++) {
      const sample = value(next, 0);
      const exact = jsonByteLength(sample);
      expect(jsonBytesAtMost(sample, Number.MAX_SAFE_INTEGER), JSON.stringify(sample)).toBeGreaterThanOrEqual(
        exact,
      );
    }
  });

  it.each(CHARS.map((char) => [JSON.stringify(char), char]))(
    'never under-counts a long string of %s, alone or between letters',
    (_, char) => {
      // 100 units are counted at three bytes a unit; 5,000 are measured (UTF-8 length plus one a unit).
      const texts = [100, 5_000].flatMap((n) => [
        char.repeat(n),
        `${'a'.repeat(n - 1)}${char}`,
        `${char}${'a'.repeat(n - 1)}`,
        `${'"\\'.repeat(n / 2 - 1)}${char}`,
      ]);
      for (const text of texts) {
        expect(jsonBytesAtMost(text, Number.MAX_SAFE_INTEGER)).toBeGreaterThanOrEqual(jsonByteLength(text));
        expect(jsonBytesAtMost({ text }, Number.MAX_SAFE_INTEGER)).toBeGreaterThanOrEqual(
          jsonByteLength({ text }),
        );
      }
    },
  );

  it('gives up (Infinity) on what it cannot bound without serializing', () => {
    class Point {
      x = 1;
    }
    const throwing = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    let deep: unknown = 'x';
    for (let i = 0; i < 70; i++) deep = [deep];
    const proxy = new Proxy(
      {},
      { get: (_target, key) => (key === 'toJSON' ? () => 'x'.repeat(1e6) : undefined) },
    );
    const cases = [
      { toJSON: () => 'x'.repeat(1e6) },
      { nested: { toJSON: () => 'x'.repeat(1e6) } },
      new Date(),
      new Point(),
      new Map([[1, 2]]),
      { big: 1n },
      throwing,
      deep,
      proxy,
      { proxy },
    ];
    for (const sample of cases) expect(jsonBytesAtMost(sample, 1e9)).toBe(Number.POSITIVE_INFINITY);
  });

  it('never under-counts objects whose prototype chain is polluted with enumerable members', () => {
    const next = seededRandom(19);
    const polluted = Object.prototype as Record<string, unknown>;
    try {
      polluted.injected = 'x'.repeat(500);
      for (let i = 0; i < 500; i++) {
        const sample = value(next, 0);
        const inherits = Object.assign(Object.create({ inherited: 'y'.repeat(50) }), { own: sample });
        for (const item of [sample, { sample }, [sample], inherits]) {
          const bound = jsonBytesAtMost(item, Number.MAX_SAFE_INTEGER);
          if (bound !== Number.POSITIVE_INFINITY) expect(bound).toBeGreaterThanOrEqual(jsonByteLength(item));
        }
      }
    } finally {
      delete polluted.injected;
    }
  });

  it('is Infinity once past its limit', () => {
    expect(jsonBytesAtMost({ text: 'x'.repeat(1_000) }, 100)).toBe(Number.POSITIVE_INFINITY);
    expect(jsonBytesAtMost({ text: 'x' }, 100)).toBeLessThanOrEqual(100);
  });
});

describe('fitsJsonBytes and the bound agree with the exact size, with the estimate in front', () => {
  it('fitsJsonBytes answers as the exact size does, around the limit', () => {
    for (const length of [10, 100, 1_000, 10_000]) {
      for (const text of ['a'.repeat(length), '\u0000'.repeat(length), '€'.repeat(length)]) {
        const sample = { text, list: [text] };
        const exact = jsonByteLength(sample);
        for (const limit of [exact - 1, exact, exact * 2, exact * 7]) {
          expect(fitsJsonBytes(sample, limit), `${length} ${limit}`).toBe(exact <= limit);
        }
      }
    }
  });

  it('boundProperties still shrinks an event whose toJSON member would serialize too large', () => {
    const properties = { $mcp_tool_name: 'x', $mcp_response: { toJSON: () => 'y'.repeat(200_000) } };
    const bounded = boundProperties(properties, { required: new Set(['$mcp_tool_name']), maxBytes: 10_000 });
    expect(jsonByteLength(bounded)).toBeLessThanOrEqual(10_000);
  });
});
