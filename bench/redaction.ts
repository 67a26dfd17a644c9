/**
 * Adversarial inputs for the redaction passes: the time must grow linearly with size, or stay flat once cut.
 * Run on its own (`node --import tsx bench/redaction.ts`) it also prints the worst event-loop block per pass at
 * 32 KB, a whole worst-case payload, and the common case (short text without secrets).
 */
import { pathToFileURL } from 'node:url';
import { MAX_DEPTH, MAX_ENTRIES, MAX_PAYLOAD_STRING_CHARS } from '../src/pipeline/limits';
import { isBinaryString, redactPersonalData, redactSecrets } from '../src/pipeline/redact';
import { sanitizeFreeText, sanitizeText } from '../src/pipeline/sanitize';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';
import { adversarialInputs, bestTimeMs, TIMED_PASSES, type TimedPass } from './adversarial';
import { median } from './measure';

const fill = (unit: string, size: number): string =>
  unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Inputs built to make backtracking regexes slow: long runs and near-misses of what the passes look for. */
const INPUTS: Record<string, (size: number) => string> = {
  'a run': (n) => fill('a', n),
  '@ run': (n) => fill('@', n),
  '. run': (n) => fill('.', n),
  'digit run': (n) => fill('7', n),
  'digits and spaces': (n) => fill('4 ', n),
  'digits and dashes': (n) => fill('12-', n),
  'http:// repeats': (n) => fill('http://', n),
  'near-miss URL userinfo': (n) => fill('http://user:pass', n),
  'near-miss email': (n) => fill('first.last@mail', n),
  'dotted near-miss email': (n) => fill('a@b.', n),
  'near-miss base64': (n) => `${fill('Ab9+', n - 1)}!`,
  'colon run (IPv6)': (n) => fill('a1:', n),
  'dotted digits (IPv4)': (n) => fill('1.', n),
  'phone near-miss': (n) => fill('+1 (', n),
  'unclosed JSON secret': (n) => `{"password": "${fill('x', n)}`,
  'Bearer repeats': (n) => fill('Bearer ', n),
  'private key block': (n) => `-----BEGIN RSA PRIVATE KEY-----${fill('A\\n', n)}`,
  'key=value near-miss': (n) => fill('&token', n),
  'JWT header repeats': (n) => fill('-eyJ', n),
  assignments: (n) => fill('password=x ', n),
};

const PASSES: Record<string, (text: string) => unknown> = {
  redactSecrets,
  redactPersonalData,
  isBinaryString,
  'sanitizeText (free text)': (text) => sanitizeText(text, MAX_PAYLOAD_STRING_CHARS, { freeText: true }),
};

/** The sizes timed, in characters. */
export const SIZES = [1_000, 10_000, 100_000, 1_000_000];

/** A pass's worst time at each size (over every input), the input that was worst at the largest size, and growth. */
export interface PassResult {
  pass: string;
  worstUs: number[];
  worstInput: string;
  /** t(1M) / t(100k) of the worst input: about 10 is linear, about 1 is flat, 100 would be quadratic. */
  growth: number;
}

/** Stops growing an input once one run takes this long, so a pathological case cannot hang the run. */
const GIVE_UP_MS = 500;

function timeOnce(pass: (text: string) => unknown, text: string, size: number): number {
  const reps = Math.max(1, Math.min(20, Math.floor(200_000 / size)));
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    pass(text);
    times.push((performance.now() - start) * 1000);
  }
  return median(times);
}

/** Times every pass on every adversarial input at every size. */
export function runRedaction(quick: boolean): PassResult[] {
  const sizes = quick ? SIZES.slice(0, 3) : SIZES;
  const texts = Object.entries(INPUTS).map(([name, make]) => ({ name, bySize: sizes.map((s) => make(s)) }));
  return Object.entries(PASSES).map(([passName, pass]) => {
    const worstUs = sizes.map(() => 0);
    let worstInput = '';
    let worstLast = -1;
    let growth = 0;
    for (const { name, bySize } of texts) {
      const times: number[] = [];
      for (let i = 0; i < sizes.length; i++) {
        const previous = times[i - 1];
        times.push(
          previous !== undefined && previous > GIVE_UP_MS * 1000
            ? Number.POSITIVE_INFINITY
            : timeOnce(pass, bySize[i]!, sizes[i]!),
        );
        worstUs[i] = Math.max(worstUs[i]!, times[i]!);
      }
      const last = times[times.length - 1]!;
      if (last > worstLast) {
        worstLast = last;
        worstInput = name;
        growth = last / Math.max(times[times.length - 2]!, 0.001);
      }
    }
    return { pass: passName, worstUs, worstInput, growth };
  });
}

const wallMs = (pass: TimedPass, text: string): number => {
  const start = performance.now();
  pass.run(text);
  return performance.now() - start;
};

/** The worst block of one pass at `size` characters over every crafted input: best of `runs` per input. */
export function worstBlocks(
  size: number,
  runs = 3,
): { pass: string; input: string; wallMs: number; cpuMs: number }[] {
  const inputs = adversarialInputs(size);
  return TIMED_PASSES.map((pass) => {
    let worst = { pass: pass.name, input: '', wallMs: 0, cpuMs: 0 };
    for (const [input, text] of inputs) {
      const cpu = bestTimeMs(pass, text, runs);
      if (cpu < worst.cpuMs) continue;
      let wall = Number.POSITIVE_INFINITY;
      for (let i = 0; i < runs; i++) wall = Math.min(wall, wallMs(pass, text));
      worst = { pass: pass.name, input, wallMs: wall, cpuMs: cpu };
    }
    return worst;
  });
}

/**
 * A payload with every string at its limit and as many of them as one payload may hold: `MAX_ENTRIES` strings
 * per level of a chain `MAX_DEPTH` deep, then `MAX_ENTRIES` lists of them until `MAX_PAYLOAD_NODES` is reached.
 */
function worstPayload(text: string): unknown {
  let node: Record<string, unknown> = {};
  for (let depth = 0; depth < MAX_DEPTH - 1; depth++) {
    const level: Record<string, unknown> = { child: node };
    for (let i = 0; i < MAX_ENTRIES - 1; i++) level[`${text.slice(0, 200)}${i}`] = text;
    node = level;
  }
  const wide = Array.from({ length: MAX_ENTRIES }, () => Array.from({ length: MAX_ENTRIES }, () => text));
  return { deep: node, wide };
}

/** Times whole worst-case payloads (every string one crafted 32 KB input) through `sanitizePayload`. */
export function worstEvents(runs = 3): { input: string; wallMs: number; cpuMs: number }[] {
  const results: { input: string; wallMs: number; cpuMs: number }[] = [];
  for (const [input, text] of adversarialInputs(MAX_PAYLOAD_STRING_CHARS)) {
    const payload = worstPayload(text);
    const pass: TimedPass = { name: 'sanitizePayload', run: () => sanitizePayload(payload) };
    let wall = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) wall = Math.min(wall, wallMs(pass, text));
    results.push({ input, wallMs: wall, cpuMs: bestTimeMs(pass, text, runs) });
  }
  return results.sort((a, b) => b.cpuMs - a.cpuMs);
}

const SHORT_TEXTS = [
  'list the invoices for March',
  'src/components/dashboard/InsightVizDataTable.tsx',
  'Find the three most recent orders of customer 42 and summarise them',
  'get_invoice',
  'The invoice total is 120.00 EUR, due on 2026-03-01 at 10:15.',
];
const SMALL_ARGS = {
  query: 'recent orders',
  limit: 20,
  filters: { status: 'open', region: 'eu-west-1' },
  context: 'The user wants to review open orders before the quarterly meeting',
};
const SMALL_RESULT = {
  content: [
    {
      type: 'text',
      text: JSON.stringify({
        number: 'INV-2026-0042',
        total: '120.00 EUR',
        lines: Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, qty: i, note: 'standard shipping' })),
      }),
    },
  ],
};

/** The common case: nanoseconds per call on short text and small payloads without secrets (best of 5 batches). */
export function commonCase(): { name: string; ns: number }[] {
  const cases: [string, () => unknown][] = [
    ['redactSecrets, 5 short texts', () => SHORT_TEXTS.map(redactSecrets)],
    ['redactPersonalData, 5 short texts', () => SHORT_TEXTS.map(redactPersonalData)],
    ['sanitizeText, 5 short texts', () => SHORT_TEXTS.map((t) => sanitizeText(t, 2_048))],
    ['sanitizeFreeText, 5 short texts', () => SHORT_TEXTS.map((t) => sanitizeFreeText(t))],
    ['sanitizePayload, small arguments', () => sanitizePayload(SMALL_ARGS)],
    ['sanitizePayload, 1 KB result', () => sanitizePayload(SMALL_RESULT)],
  ];
  return cases.map(([name, run]) => {
    for (let i = 0; i < 2_000; i++) run();
    let best = Number.POSITIVE_INFINITY;
    for (let batch = 0; batch < 5; batch++) {
      const start = performance.now();
      for (let i = 0; i < 20_000; i++) run();
      best = Math.min(best, ((performance.now() - start) * 1e6) / 20_000);
    }
    return { name, ns: best };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('Common case (ns per call):');
  for (const row of commonCase()) console.log(`  ${row.name.padEnd(36)} ${row.ns.toFixed(0)}`);
  console.log('Worst block per pass at 32 KB (ms, wall and CPU):');
  for (const row of worstBlocks(32_768)) {
    console.log(
      `  ${row.pass.padEnd(44)} ${row.wallMs.toFixed(2).padStart(7)} ${row.cpuMs.toFixed(2).padStart(7)}  ${row.input}`,
    );
  }
  console.log('Whole worst-case payloads through sanitizePayload (ms, wall and CPU), worst five:');
  for (const row of worstEvents().slice(0, 5)) {
    console.log(`  ${row.wallMs.toFixed(2).padStart(7)} ${row.cpuMs.toFixed(2).padStart(7)}  ${row.input}`);
  }
}
