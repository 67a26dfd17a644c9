/** Bytes per token of the estimate: a common rule of thumb for English text and JSON with BPE tokenizers. */
export const BYTES_PER_TOKEN = 4;
/** Most values (objects, arrays, strings, scalars, keys) queued per estimate; the rest of a payload is not counted. */
export const MAX_ESTIMATE_NODES = 10_000;
/** Characters of one string measured exactly; a longer string's size is extrapolated from them. */
export const MAX_MEASURED_STRING_CHARS = 65_536;

function stringBytes(value: string): number {
  if (value.length <= MAX_MEASURED_STRING_CHARS) return Buffer.byteLength(value, 'utf8') + 2;
  const sample = Buffer.byteLength(value.slice(0, MAX_MEASURED_STRING_CHARS), 'utf8');
  return Math.round((sample * value.length) / MAX_MEASURED_STRING_CHARS) + 2;
}

function scalarBytes(value: unknown): number | undefined {
  if (typeof value === 'string') return stringBytes(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).length : 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (value === null) return 4;
  if (typeof value === 'bigint') return String(value).length;
  return undefined;
}

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
    const scalar = scalarBytes(current);
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
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      bytes += stringBytes(key) + 1 + (entries > 0 ? 1 : 0);
      entries += 1;
      stack.push(item);
    }
  }
  return bytes;
}

/**
 * Estimated tokens of a JSON value: `ceil(UTF-8 bytes of its JSON / 4)`, from {@link estimateJsonBytes}.
 * It is a size signal for comparing tools and spotting bloated results, not a tokenizer's count.
 * `undefined` for `undefined` or when the value cannot be read.
 */
export function estimateTokens(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  try {
    return Math.ceil(estimateJsonBytes(value) / BYTES_PER_TOKEN);
  } catch {
    return undefined;
  }
}
