import { describe, expect, it } from 'vitest';
import { adversarialInputs, bestTimeMs, TIMED_PASSES, type TimedPass } from '../bench/adversarial';

/**
 * Sizes timed, in characters. 8 KB → 32 KB catches unbounded backtracking; 2 KB → 8 KB also catches a bounded
 * one (a 4,096-character backtrack at every position), which is saturated, and so looks linear, above 8 KB.
 */
const SIZES = [2_048, 8_192, 32_768];
const RUNS = 5;
/** Linear work grows 4× per step; quadratic work 16×. */
const MAX_GROWTH = 6;
/** Below this CPU time, a timing is noise whatever its ratio. */
const FLOOR_MS = 1;

interface Growth {
  input: string;
  size: number;
  smallMs: number;
  largeMs: number;
}

/** Best CPU times at two sizes, measured alternately so both see the same machine state. */
function bestPair(pass: TimedPass, small: string, large: string): [number, number] {
  let smallMs = Number.POSITIVE_INFINITY;
  let largeMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    smallMs = Math.min(smallMs, bestTimeMs(pass, small, 1));
    largeMs = Math.min(largeMs, bestTimeMs(pass, large, 1));
  }
  return [smallMs, largeMs];
}

const isSuperLinear = (g: Growth): boolean => g.largeMs > FLOOR_MS && g.largeMs > MAX_GROWTH * g.smallMs;

/** Times a pass at two sizes; a suspicious pair is measured again so one slow moment cannot fail it alone. */
function measure(pass: TimedPass, input: string, size: number, texts: [string, string]): Growth {
  const [small, large] = texts;
  let [smallMs, largeMs] = bestPair(pass, small, large);
  for (let retry = 0; retry < 5 && isSuperLinear({ input, size, smallMs, largeMs }); retry++) {
    const [s, l] = bestPair(pass, small, large);
    smallMs = Math.min(smallMs, s);
    largeMs = Math.min(largeMs, l);
  }
  return { input, size, smallMs, largeMs };
}

describe('every redaction pass costs time linear in its input, on crafted text', () => {
  const inputs = SIZES.map((size) => adversarialInputs(size));

  it.each(TIMED_PASSES.map((pass) => [pass.name, pass] as const))(
    '%s',
    (_, pass) => {
      const superLinear: Growth[] = [];
      for (let step = 1; step < SIZES.length; step++) {
        for (const [input, large] of inputs[step] ?? []) {
          const small = inputs[step - 1]?.get(input) ?? '';
          const growth = measure(pass, input, SIZES[step] ?? 0, [small, large]);
          if (isSuperLinear(growth)) superLinear.push(growth);
        }
      }
      expect(superLinear).toEqual([]);
    },
    120_000,
  );
});
