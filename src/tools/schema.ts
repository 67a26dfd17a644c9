import { isPlainObject, readProperty } from '../safe-object';

const COMBINATORS = ['$ref', 'oneOf', 'anyOf', 'allOf'] as const;

/** True when a root schema uses `$ref`, `oneOf`, `anyOf` or `allOf`, where nothing may be injected. */
export function hasCombinatorRoot(schema: unknown): boolean {
  if (!isPlainObject(schema)) return false;
  for (const key of COMBINATORS) if (readProperty(schema, key) !== undefined) return true;
  return false;
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
