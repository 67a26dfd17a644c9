/** A seeded generator of numbers in [0, 1), so a failing sample names its seed and reproduces. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One of `list`'s items, by the generator. */
export const pick = <T>(next: () => number, list: readonly T[]): T =>
  list[Math.floor(next() * list.length)] as T;

/**
 * Characters JSON and the text passes treat specially: quotes and backslashes, short and `\uXXXX` escapes, DEL,
 * two- three- and four-byte UTF-8, lone surrogates of both halves, and separators the secret passes look for.
 */
export const HAZARD_CHARS: readonly string[] = [
  'a',
  'Z',
  '"',
  '\\',
  '\n',
  '\t',
  '\u0000',
  '\u0008',
  '\u000b',
  '\u001f',
  '\u007f',
  'é',
  '€',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  '/',
  '<',
  ':',
  '=',
];
