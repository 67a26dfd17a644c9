/** A JSON-ish object. */
export type JsonObject = Record<string, unknown>;

/** Reads a property without letting a getter or proxy trap throw. */
export function readProperty(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** True for a plain JSON object (not an array); a revoked proxy is not one, and never throws. */
export function isPlainObject(value: unknown): value is JsonObject {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** A shallow copy of an object's own enumerable members, less `omit`: unlike a spread, adding keys afterwards stays fast. */
export function copyMembers(value: JsonObject, omit: readonly string[] = []): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    if (omit.includes(key)) continue;
    if (key !== '__proto__') out[key] = value[key];
    else
      Object.defineProperty(out, key, {
        value: value[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

/** The value when it is a string, else `undefined`. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
