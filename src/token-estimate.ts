import { isCountedMember, rawScalarBytes, rawStringBytes } from './pipeline/raw-size';

/** Bytes per token of the estimate: a common rule of thumb for English text and JSON with BPE tokenizers. */
export const BYTES_PER_TOKEN = 4;
/** Most values (objects, arrays, strings, scalars, keys) queued per estimate; the rest of a payload is not counted. */
export const MAX_ESTIMATE_NODES = 10_000;
export { MAX_MEASURED_STRING_CHARS } from './pipeline/raw-size';

/**
 * The approximate size in bytes of `JSON.stringify(value)` as UTF-8, from a walk that queues at most
 * `MAX_ESTIMATE_NODES` values, reads each object's members once and measures at most
 * `MAX_MEASURED_STRING_CHARS` of each string, so its cost is bounded whatever the payload. Escapes are not
 * counted; an object reached again (a cycle or a shared subtree) counts as `{}`.
 */
export function estimateJsonBytes(value: unknown): number {
  let bytes = 0;
  let budget = MAX_ESTIMATE_NODES - 1;
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    const scalar = rawScalarBytes(current);
    if (scalar !== undefined) {
      bytes += scalar;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    bytes += 2;
    if (budget <= 0 || seen.has(current)) continue;
    seen.add(current);
    if (Array.isArray(current)) {
      const length = Math.min(current.length, budget);
      bytes += Math.max(0, current.length - 1);
      for (let i = 0; i < length; i++) stack.push(current[i]);
      budget -= length;
      continue;
    }
    let entries = 0;
    for (const key in current) {
      if (budget <= 0) break;
      budget -= 1;
      if (!Object.hasOwn(current, key)) continue;
      const item = (current as Record<string, unknown>)[key];
      if (!isCountedMember(item)) continue;
      bytes += rawStringBytes(key) + 1 + (entries > 0 ? 1 : 0);
      entries += 1;
      stack.push(item);
    }
  }
  return bytes;
}

/**
 * Estimated tokens of a JSON value: `ceil(UTF-8 bytes of its JSON / 4)`, from {@link estimateJsonBytes}.
 * It is a size signal for comparing tools and spotting bloated results, not a tokenizer's count.
 * `knownBytes`: its `estimateJsonBytes` already taken (by a payload walk, see `RawSizes`). `undefined` for
 * `undefined` or when the value cannot be read.
 */
export function estimateTokens(value: unknown, knownBytes?: number): number | undefined {
  if (value === undefined) return undefined;
  try {
    return Math.ceil((knownBytes ?? estimateJsonBytes(value)) / BYTES_PER_TOKEN);
  } catch {
    return undefined;
  }
}
