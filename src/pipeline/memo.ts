/**
 * A bounded memo of a pure function of short text: results for inputs of at most `maxChars` characters are
 * kept, at most `maxEntries` of them (all dropped at once when full, so a stream of distinct inputs costs one
 * clear per `maxEntries` misses); longer inputs are computed every time.
 */
export function memoizeText<T>(
  compute: (text: string) => T,
  maxEntries: number,
  maxChars: number,
): (text: string) => T {
  const results = new Map<string, T>();
  return (text) => {
    if (text.length > maxChars) return compute(text);
    const hit = results.get(text);
    if (hit !== undefined || results.has(text)) return hit as T;
    const result = compute(text);
    if (results.size >= maxEntries) results.clear();
    results.set(text, result);
    return result;
  };
}
