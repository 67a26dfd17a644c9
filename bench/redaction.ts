/** Adversarial inputs for the redaction passes: the time must grow linearly with size, or stay flat once cut. */
import { MAX_PAYLOAD_STRING_CHARS } from '../src/pipeline/limits';
import { isBinaryString, redactPersonalData, redactSecrets } from '../src/pipeline/redact';
import { sanitizeText } from '../src/pipeline/sanitize';
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
