import { memoizeText } from '../pipeline/memo';

const LOW_SEED = 0x84222325;
const HIGH_SEED = 0xcbf29ce4;
const LOW_PRIME = 0x1b3;
const HIGH_PRIME = 0x193;

function toHex8(lane: number): string {
  return (lane >>> 0).toString(16).padStart(8, '0');
}

/** Two FNV-1a style 32-bit lanes over the UTF-16 code units of `text`, as 16 lowercase hex digits. */
function hashTwoLanes(text: string): string {
  let low = LOW_SEED;
  let high = HIGH_SEED;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    low = Math.imul(low ^ unit, LOW_PRIME) >>> 0;
    high = Math.imul(high ^ unit, HIGH_PRIME) >>> 0;
  }
  return toHex8(low) + toHex8(high);
}

function coerceToString(input: unknown): string {
  if (typeof input === 'string') return input;
  try {
    return String(input);
  } catch {
    return '';
  }
}

/** The derivation, remembered for inputs of up to 256 characters: a connection's id recurs on each of its calls. */
const derivedFromText = memoizeText(
  (text) => `ses_${hashTwoLanes(text)}${hashTwoLanes(`${text}::salt`)}`,
  2_048,
  256,
);

/**
 * Derives a deterministic `$session_id` from a transport session id or a conversation handle, identical
 * across PostHog SDKs.
 *
 * @example
 * deriveSessionId('abc'); // 'ses_0541574b91af2a6c126301d3a7dcb510'
 */
export function deriveSessionId(input: string): string {
  return derivedFromText(coerceToString(input));
}
