/**
 * Ablation aid: writes `bench/results/ablated.mjs`, a copy of the built package with some of its per-event work
 * taken out, so the bench can show what the rest costs (what a target would need if that work were free). Not a
 * build anyone should run: the ablated package skips privacy passes.
 *
 *   npm run build && npx tsx bench/ablate.ts [stage,…]
 *   BENCH_OURS=bench/results/ablated.mjs node --expose-gc --import tsx bench/run.ts --only=small --rounds=40
 *
 * Stages (default: all three): `sanitize` (the properties are copied as given, not sanitized, and the raw sizes for
 * the token estimates are not taken), `measure` (no args hash, repeat count, token estimates or signals), `bound`
 * (no size bound as the event is enqueued). Each edit must match the built code exactly once, or the script fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const EDITS: Record<string, [string, string][]> = {
  sanitize: [
    [
      'const properties = sanitizeProperties(draft.properties, draft.extraProperties, draft.nameIsRegistered, sources?.sizes);',
      'const properties = Object.assign({}, draft.properties, draft.extraProperties);',
    ],
    [
      'sources.sizes = new RawSizes([sources.input, response], copied ? [sources.output] : []);',
      'void copied;',
    ],
  ],
  measure: [['const measured = this.#host.measure(draft);', 'const measured = undefined;']],
  bound: [
    [
      'processed.properties = fitsJsonBytes(relabelled, 102400, { remembered: !(this.#hooks.beforeSend || this.#hooks.before_send) }) ? relabelled : boundProperties(relabelled, { required: WIRE_REQUIRED });',
      'processed.properties = relabelled;',
    ],
  ],
};

const stages = (process.argv[2] ?? Object.keys(EDITS).join(',')).split(',').filter((s) => s !== '');
let code = readFileSync('dist/index.mjs', 'utf8');
for (const stage of stages) {
  const edits = EDITS[stage];
  if (!edits) throw new Error(`unknown stage ${stage}; known: ${Object.keys(EDITS).join(', ')}`);
  for (const [from, to] of edits) {
    const count = code.split(from).length - 1;
    if (count !== 1)
      throw new Error(`${stage}: the built code has ${count} copies of \`${from}\`; update bench/ablate.ts`);
    code = code.replace(from, to);
  }
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/ablated.mjs', code);
process.stderr.write(`bench/results/ablated.mjs: dist/index.mjs without ${stages.join(', ')}\n`);
