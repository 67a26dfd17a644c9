import fnv from 'fnv-plus';
import { isBinaryString } from '../pipeline/redact';
import { readProperty } from '../safe-object';

const MAX_CANONICAL_DEPTH = 32;
/** Most values (objects, arrays, keys and scalars) the hash visits in one descriptor. */
export const MAX_HASH_NODES = 20_000;
/** Longest canonical text hashed, in UTF-16 units; a larger descriptor is not hashed. */
export const MAX_HASH_CHARS = 1_048_576;
/** `$mcp_tool_schema_hash` of a descriptor that cannot be hashed: over the bounds, or unreadable. */
export const UNHASHABLE_SCHEMA = '[unhashable]';

/** Thrown inside the walk when the descriptor is too large to hash. */
class OverBudget extends Error {}

/**
 * Longest base64 or `data:` URL string (an upload, an image) the args hash reads whole; a longer one counts by its
 * length and its first and last {@link ARGS_BLOB_EDGE_CHARS} characters, so a 1 MB upload costs what 2 KB does.
 * Text is always read whole (within {@link MAX_HASH_CHARS}), so an edit anywhere in it changes the hash.
 */
export const MAX_ARGS_BLOB_CHARS = 2_048;
/** Characters read from each end of a blob longer than {@link MAX_ARGS_BLOB_CHARS}. */
export const ARGS_BLOB_EDGE_CHARS = 1_024;

interface HashWalk {
  /** The objects being written, outermost first: at most {@link MAX_CANONICAL_DEPTH} deep, so a scan is cheap. */
  readonly ancestors: object[];
  /** Blobs longer than this are hashed by their length and ends; the schema hash reads every string whole. */
  readonly wholeBlobChars: number;
  text: string;
  nodes: number;
}

function append(walk: HashWalk, text: string, nodes = 1): void {
  walk.nodes += nodes;
  walk.text += text;
  if (walk.nodes > MAX_HASH_NODES || walk.text.length > MAX_HASH_CHARS) throw new OverBudget();
}

/**
 * Appends a string as JSON, refusing one that cannot fit before serializing it: its JSON is at least its length
 * plus the quotes, and up to six times that (escapes), so serializing first would cost the payload, not the budget.
 */
function appendString(walk: HashWalk, text: string, nodes = 1): void {
  const read = text.length > walk.wholeBlobChars && isBinaryString(text) ? edgesOf(text) : text;
  if (walk.text.length + read.length + 2 > MAX_HASH_CHARS) throw new OverBudget();
  append(walk, NEEDS_ESCAPE.test(read) ? JSON.stringify(read) : `"${read}"`, nodes);
}

/** What JSON.stringify writes other than as itself: `"`, `\\`, control characters and (lone) surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding what JSON escapes, control characters included, is its purpose.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A long blob as the args hash reads it: its first and last characters around its length. */
const edgesOf = (text: string): string =>
  `${text.slice(0, ARGS_BLOB_EDGE_CHARS)}\u0000${text.length}\u0000${text.slice(-ARGS_BLOB_EDGE_CHARS)}`;

/**
 * Appends JSON with object keys sorted at every level, so key order never changes the hash. A value that
 * is its own ancestor (a cycle, as `$ref` dereferencing builds) is written as `"[circular]"`; shared
 * subtrees are written out each time, within the node and character bounds.
 */
function writeCanonical(value: unknown, depth: number, walk: HashWalk): void {
  if (depth > MAX_CANONICAL_DEPTH) append(walk, '"[max depth]"');
  else if (typeof value === 'string') appendString(walk, value);
  else if (typeof value !== 'object' || value === null) append(walk, JSON.stringify(value) ?? 'null');
  else if (walk.ancestors.includes(value)) append(walk, '"[circular]"');
  else {
    walk.ancestors.push(value);
    if (Array.isArray(value)) writeArray(value, depth, walk);
    else writeObject(value, depth, walk);
    walk.ancestors.pop();
  }
}

function writeArray(value: readonly unknown[], depth: number, walk: HashWalk): void {
  const length = value.length;
  append(walk, '[', 1 + length);
  for (let index = 0; index < length; index++) {
    if (index > 0) walk.text += ',';
    writeCanonical(value[index], depth + 1, walk);
  }
  walk.text += ']';
}

/** Whether the keys are already in `sort()` order (code-unit order), as hosts often write them. */
function isSorted(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index++)
    if ((keys[index - 1] as string) > (keys[index] as string)) return false;
  return true;
}

function writeObject(value: object, depth: number, walk: HashWalk): void {
  const keys = Object.keys(value);
  append(walk, '{', 1 + keys.length);
  if (!isSorted(keys)) keys.sort();
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (index > 0) walk.text += ',';
    appendString(walk, key, 0);
    walk.text += ':';
    writeCanonical((value as Record<string, unknown>)[key], depth + 1, walk);
  }
  walk.text += '}';
}

/**
 * `$mcp_tool_schema_hash`: a stable FNV-1a 64-bit hash of a tool's description and input schema, or
 * {@link UNHASHABLE_SCHEMA} when the descriptor exceeds the bounds or cannot be read; never throws.
 */
export function toolSchemaHash(descriptor: object): string {
  const described = {
    description: readProperty(descriptor, 'description') ?? null,
    inputSchema: readProperty(descriptor, 'inputSchema') ?? null,
  };
  return canonicalHash(described, Number.POSITIVE_INFINITY) ?? UNHASHABLE_SCHEMA;
}

/** FNV-1a 64 of a value's canonical JSON (keys sorted, cycles marked), or `undefined` past the bounds. */
function canonicalHash(value: unknown, wholeBlobChars: number): string | undefined {
  const walk: HashWalk = { ancestors: [], wholeBlobChars, text: '', nodes: 0 };
  try {
    writeCanonical(value, 0, walk);
    // `fast1a64` is FNV-1a 64 from the standard offset basis, as hex (its typings say a number; fnv-plus 1.3 returns
    // the hex string): `fnv.hash(text, 64).hex()` without the wrapper object, and unmoved by a `seed()`, `version()`
    // or `useUTF8()` that another user of the shared module may call.
    const hex: unknown = fnv.fast1a64(walk.text);
    return typeof hex === 'string' ? hex : fnv.hash(walk.text, 64).hex();
  } catch {
    return undefined;
  }
}

/**
 * `$mcp_args_hash`: FNV-1a 64 of a call's own arguments as canonical JSON (key order ignored), a blob over
 * {@link MAX_ARGS_BLOB_CHARS} read as its length and its ends, within the same bounds as the schema hash;
 * {@link UNHASHABLE_SCHEMA} past them. Never throws.
 */
export function argsHash(args: unknown): string {
  return canonicalHash(args, MAX_ARGS_BLOB_CHARS) ?? UNHASHABLE_SCHEMA;
}

/** Schema hashes of tool descriptors, cached per descriptor object for the life of one client. */
export class ToolFingerprints {
  readonly #cache = new WeakMap<object, string>();

  /** The descriptor's `$mcp_tool_schema_hash`, computed once per descriptor object, the marker included. */
  hashOf(descriptor: object): string {
    const cached = this.#cache.get(descriptor);
    if (cached !== undefined) return cached;
    const hash = toolSchemaHash(descriptor);
    this.#cache.set(descriptor, hash);
    return hash;
  }
}
