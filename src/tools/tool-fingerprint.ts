import fnv from 'fnv-plus';
import { readProperty } from '../safe-object';

const MAX_CANONICAL_DEPTH = 32;

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
  try {
    const text = canonicalJson({
      description: readProperty(descriptor, 'description') ?? null,
      inputSchema: readProperty(descriptor, 'inputSchema') ?? null,
    });
    return fnv.hash(text, 64).hex();
  } catch {
    return undefined;
  }
}

/** `$mcp_args_hash`: FNV-1a 64 of a call's own arguments as canonical JSON (key order ignored); never throws. */
export function argsHash(args: unknown): string {
  try {
    return fnv.hash(canonicalJson(args), 64).hex();
  } catch {
    return fnv.hash('[unhashable]', 64).hex();
  }
}

/** Schema hashes of tool descriptors, cached per descriptor object for the life of one client. */
export class ToolFingerprints {
  readonly #cache = new WeakMap<object, string>();

  /** The descriptor's `$mcp_tool_schema_hash`, computed once per descriptor object. */
  hashOf(descriptor: object): string | undefined {
    const cached = this.#cache.get(descriptor);
    if (cached !== undefined) return cached;
    const hash = toolSchemaHash(descriptor);
    if (hash !== undefined) this.#cache.set(descriptor, hash);
    return hash;
  }
}
