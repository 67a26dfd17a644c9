/** A named redaction pass, so each can be timed and tested on its own. */
export interface NamedPass {
  /** What the pass redacts. */
  readonly name: string;
  /** Returns the text with what the pass finds replaced. */
  readonly apply: (text: string) => string;
}

/** A cheap necessary condition for a pass: `false` proves the pass cannot match. */
export type Gate = (text: string) => boolean;

type Replacer = (match: string, ...groups: string[]) => string;

/** A pass made of one global regex and its replacement. */
export const regexPass = (name: string, pattern: RegExp, replacement: string | Replacer): NamedPass => ({
  name,
  apply:
    typeof replacement === 'string'
      ? (text) => text.replace(pattern, replacement)
      : (text) => text.replace(pattern, replacement),
});

/** Runs the passes in order, skipping each whose gate fails; the last gate covers every later pass. */
export function applyPasses(text: string, passes: readonly NamedPass[], gates: readonly Gate[]): string {
  let out = text;
  const last = gates.length - 1;
  for (let i = 0; i < passes.length; i++) {
    if (i <= last && !gates[i]!(out)) {
      if (i === last) break;
      continue;
    }
    out = passes[i]!.apply(out);
  }
  return out;
}
