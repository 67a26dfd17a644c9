import { describe, expect, it } from 'vitest';
import { argsHash, MAX_HASH_CHARS, toolSchemaHash, UNHASHABLE_SCHEMA } from '../src/tools/tool-fingerprint';

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
      expect(argsHash({ query: large })).toBe(UNHASHABLE_SCHEMA);
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
