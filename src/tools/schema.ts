import { readProperty } from '../request-context';
import type { JsonObject } from '../types';

const COMBINATORS = ['$ref', 'oneOf', 'anyOf', 'allOf'] as const;

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

/** True when a root schema uses `$ref`, `oneOf`, `anyOf` or `allOf`, where nothing may be injected. */
export function hasCombinatorRoot(schema: unknown): boolean {
  return isPlainObject(schema) && COMBINATORS.some((key) => readProperty(schema, key) !== undefined);
}

/** The top-level property names a schema declares. */
export function declaredNames(schema: unknown): string[] {
  const properties = readProperty(schema, 'properties');
  if (!isPlainObject(properties)) return [];
  try {
    return Object.keys(properties);
  } catch {
    return [];
  }
}
