import fnv from 'fnv-plus';
import { PROP } from '../events';
import { readProperty } from '../request-context';
import type { JsonObject } from '../types';

const MAX_CANONICAL_DEPTH = 32;
const cache = new WeakMap<object, string>();

/** JSON with object keys sorted at every level, so key order never changes the hash. */
function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_CANONICAL_DEPTH) return '"[max depth]"';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key], depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `$mcp_tool_schema_hash`: a stable FNV-1a 64-bit hash of a tool's description and input schema. */
export function toolSchemaHash(descriptor: object): string | undefined {
  const cached = cache.get(descriptor);
  if (cached !== undefined) return cached;
  try {
    const text = canonicalJson({
      description: readProperty(descriptor, 'description') ?? null,
      inputSchema: readProperty(descriptor, 'inputSchema') ?? null,
    });
    const hash = fnv.hash(text, 64).hex();
    cache.set(descriptor, hash);
    return hash;
  } catch {
    return undefined;
  }
}

/** The fingerprint properties of a registered tool. */
export function toolFingerprint(descriptor: object): JsonObject {
  return { [PROP.toolSchemaHash]: toolSchemaHash(descriptor) };
}
