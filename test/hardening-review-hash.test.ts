import fnv from 'fnv-plus';
import { describe, expect, it } from 'vitest';
import {
  ARGS_BLOB_EDGE_CHARS,
  argsHash,
  MAX_ARGS_BLOB_CHARS,
  MAX_HASH_CHARS,
  toolSchemaHash,
  UNHASHABLE_SCHEMA,
} from '../src/tools/tool-fingerprint';
import { HAZARD_CHARS, pick, seededRandom } from './helpers/seeded';

/**
 * `$mcp_args_hash` runs over the client's raw arguments, so its cost must be bounded by its character budget, not by
 * the size of a string the client sent: a string too long to fit is refused before it is serialized (a lone
 * surrogate or control character serializes to six characters, so serializing first costs six times the payload).
 */

const RUNS = 5;
/** Below this CPU time, a timing is noise whatever its ratio. */
const FLOOR_MS = 2;

const UNITS: [string, string][] = [
  ['plain letters', 'a'],
  ['control characters', '\u0001'],
  ['lone surrogates', '\ud800'],
  ['letters between lone surrogates', 'a\ud800'],
  ['quotes and backslashes', '"\\'],
];

function bestMs(run: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('the argument and schema hashes cost no more for a string past their budget', () => {
  it.each(UNITS)(
    '%s: 16× the text past the budget costs no more than the text at a quarter of it',
    (_, unit) => {
      const small = unit.repeat(Math.floor(MAX_HASH_CHARS / 4 / unit.length));
      const large = unit.repeat(Math.floor((MAX_HASH_CHARS * 4) / unit.length));
      const smallMs = bestMs(() => argsHash({ query: small }));
      const largeMs = bestMs(() => argsHash({ query: large }));
      // A long blob (the letters are base64) is read by its length and ends; text past the budget is refused.
      expect(argsHash({ query: large })).toMatch(unit === 'a' ? /^[0-9a-f]{16}$/ : /^\[unhashable\]$/);
      expect(toolSchemaHash({ description: large, inputSchema: {} })).toBe(UNHASHABLE_SCHEMA);
      expect(
        largeMs,
        `${smallMs.toFixed(2)} ms at ${small.length}, ${largeMs.toFixed(2)} ms at ${large.length}`,
      ).toBeLessThanOrEqual(Math.max(FLOOR_MS, 2 * smallMs));
      const keyMs = bestMs(() => argsHash({ [large]: 1 }));
      expect(keyMs, 'the same text as a key').toBeLessThanOrEqual(Math.max(FLOOR_MS, 2 * smallMs));
      const schemaMs = bestMs(() => toolSchemaHash({ description: large, inputSchema: {} }));
      expect(schemaMs).toBeLessThanOrEqual(Math.max(FLOOR_MS, 2 * smallMs));
    },
  );

  it('a string within the budget is still hashed, and a different one hashes differently', () => {
    const text = 'a\ud800'.repeat(1_000);
    expect(argsHash({ query: text })).toMatch(/^[0-9a-f]{16}$/);
    expect(argsHash({ query: text })).not.toBe(argsHash({ query: `${text}b` }));
  });
});

describe('the args hash reads a long base64 or data: URL blob by its length and its ends', () => {
  const long = (fill: string, chars: number): string =>
    fill.repeat(Math.ceil(chars / fill.length)).slice(0, chars);
  // Base64 characters only: a blob, as an uploaded file is.
  const base = long('0123456789abcdef', MAX_ARGS_BLOB_CHARS * 4);

  it.each([
    ['a different length', `${base}x`],
    ['a different first character', `X${base.slice(1)}`],
    ['a different last character', `${base.slice(0, -1)}X`],
    [
      'a different character at the edge of the head',
      `${base.slice(0, ARGS_BLOB_EDGE_CHARS - 1)}X${base.slice(ARGS_BLOB_EDGE_CHARS)}`,
    ],
    [
      'a different character at the edge of the tail',
      `${base.slice(0, -ARGS_BLOB_EDGE_CHARS)}X${base.slice(1 - ARGS_BLOB_EDGE_CHARS)}`,
    ],
  ])('%s hashes differently, as a value and as a key', (_, other) => {
    expect(other.length === base.length || other.length === base.length + 1).toBe(true);
    expect(argsHash({ blob: other })).not.toBe(argsHash({ blob: base }));
    expect(argsHash({ [other]: 1 })).not.toBe(argsHash({ [base]: 1 }));
  });

  it('a data: URL is a blob too; text of any length is read whole', () => {
    const dataUrl = `data:image/png;base64,${base}`;
    const middle = Math.floor(dataUrl.length / 2);
    const dataUrlChanged = `${dataUrl.slice(0, middle)}X${dataUrl.slice(middle + 1)}`;
    expect(argsHash({ image: dataUrlChanged })).toBe(argsHash({ image: dataUrl }));
    const text = long('the quick report lists open invoices. ', MAX_ARGS_BLOB_CHARS * 16);
    const textMiddle = Math.floor(text.length / 2);
    const edited = `${text.slice(0, textMiddle)}X${text.slice(textMiddle + 1)}`;
    expect(argsHash({ content: edited })).not.toBe(argsHash({ content: text }));
  });

  it('a data: URL of exactly the limit is read whole; one character more is read by its ends', () => {
    const prefix = 'data:application/octet-stream;base64,';
    const whole = `${prefix}${long('ab', MAX_ARGS_BLOB_CHARS - prefix.length)}`;
    expect(whole).toHaveLength(MAX_ARGS_BLOB_CHARS);
    const middle = Math.floor(MAX_ARGS_BLOB_CHARS / 2);
    const changed = `${whole.slice(0, middle)}X${whole.slice(middle + 1)}`;
    expect(argsHash({ q: changed })).not.toBe(argsHash({ q: whole }));
    // Past the limit, a change in the middle is not read: the documented price of a bounded cost.
    expect(argsHash({ q: `${changed}ab` })).toBe(argsHash({ q: `${whole}ab` }));
  });

  it('a long string cannot collide with the short string spelling its edges', () => {
    const head = base.slice(0, ARGS_BLOB_EDGE_CHARS);
    const tail = base.slice(-ARGS_BLOB_EDGE_CHARS);
    // The edges form is itself longer than the limit, so no string read whole can spell it; nor does a string spelling it collide.
    expect(argsHash({ q: `${head}\u0000${base.length}\u0000${tail}` })).not.toBe(argsHash({ q: base }));
  });

  it('many long strings still stop at the character budget', () => {
    const many = Array.from(
      { length: Math.ceil(MAX_HASH_CHARS / MAX_ARGS_BLOB_CHARS) + 2 },
      (_, i) => `${i}${base}`,
    );
    expect(argsHash(many)).toBe(UNHASHABLE_SCHEMA);
  });
});

describe('the args hash is FNV-1a 64 of the arguments as JSON with sorted keys', () => {
  const sortedJson = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
    if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`).join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
  };

  it('for 500 seeded values whose strings and keys hold every kind of escape', () => {
    const next = seededRandom(11);
    const text = (): string =>
      Array.from({ length: Math.floor(next() * 12) }, () => pick(next, HAZARD_CHARS)).join('');
    for (let i = 0; i < 500; i++) {
      const args: Record<string, unknown> = {};
      for (let k = 0; k < 4; k++) args[text()] = next() < 0.5 ? text() : [text(), { [text()]: text(), n: k }];
      expect(argsHash(args), JSON.stringify(args)).toBe(fnv.hash(sortedJson(args), 64).hex());
    }
  });

  it('whatever order the keys come in: sorted, reversed, sorted but one, numeric-looking and astral', () => {
    const next = seededRandom(23);
    const orders: string[][] = [
      ['a', 'b', 'c', 'd'],
      ['d', 'c', 'b', 'a'],
      ['a', 'b', 'd', 'c'],
      ['b', 'a'],
      ['x1', 'x10', 'x2'],
      ['Z', 'a', '_', '\u00e9', '\ud83d\ude00', '\uffff'],
      ['same'],
      [],
    ];
    for (const keys of orders) {
      const args: Record<string, unknown> = {};
      for (const key of keys) args[key] = next() < 0.5 ? key : { [key]: [key, next()], a: 1, A: 2 };
      const reordered: Record<string, unknown> = {};
      for (const key of [...keys].reverse()) reordered[key] = args[key];
      expect(argsHash(args)).toBe(fnv.hash(sortedJson(args), 64).hex());
      expect(argsHash(reordered)).toBe(argsHash(args));
    }
  });

  it('is unmoved by what another user of the shared fnv-plus module switches globally', () => {
    const args = { city: 'Paris', units: 'metric', days: 3, note: 'caf\u00e9 \ud83d\ude00' };
    const before = argsHash(args);
    expect(before).toBe(fnv.hash(sortedJson(args), 64).hex());
    // The module's global switches, as fnv-plus 1.3 has them (its typings leave out `version` and `seed()`).
    const shared = fnv as unknown as {
      seed(seed?: string): void;
      useUTF8(on: boolean): void;
      version(name: '1' | '1a'): void;
    };
    try {
      shared.seed('another library');
      shared.useUTF8(true);
      shared.version('1');
      expect(argsHash(args)).toBe(before);
    } finally {
      shared.seed();
      shared.useUTF8(false);
      shared.version('1a');
    }
    expect(fnv.hash(sortedJson(args), 64).hex()).toBe(before);
  });
});
