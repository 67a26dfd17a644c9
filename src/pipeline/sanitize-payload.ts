import { rememberJsonBytesAtMost, stringBytesAtMost } from './json-size';
import {
  BINARY_PLACEHOLDER,
  MAX_DEPTH,
  MAX_ENTRIES,
  MAX_NAME_CHARS,
  MAX_PAYLOAD_NODES,
  MAX_PAYLOAD_STRING_CHARS,
  MAX_TEXT_CHARS,
  REDACTED,
} from './limits';
import { read, scanKey, scanText, type Walk } from './payload-walk';
import { isSecretKey } from './redact';
import { cutText, MARKER } from './sanitize';

/** Options of `sanitizePayload`. */
export interface SanitizePayloadOptions {
  /** Longest string value kept. @default MAX_PAYLOAD_STRING_CHARS */
  maxStringChars?: number;
}

/** Bytes no number, `true`, `false` or `null` exceeds in JSON (`-1.7976931348623157e+308`). */
const MAX_SCALAR_BYTES = 24;

/** Copies one value and adds what a scalar copy costs in JSON to the walk's bound (containers add their own). */
function copyValue(value: unknown, depth: number, walk: Walk): unknown {
  const copy = copyAny(value, depth, walk);
  if (typeof copy === 'string') walk.bytes += stringBytesAtMost(copy);
  else if (typeof copy !== 'object' || copy === null) walk.bytes += MAX_SCALAR_BYTES;
  return copy;
}

function copyAny(value: unknown, depth: number, walk: Walk): unknown {
  walk.nodes++;
  switch (typeof value) {
    case 'string':
      return scanText(value, walk.maxStringChars, walk);
    case 'number':
      return Number.isFinite(value) ? value : MARKER.nonFinite;
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return `[bigint ${cutText(value.toString(), MAX_NAME_CHARS)}]`;
    case 'symbol':
      return MARKER.symbol;
    case 'function':
      return MARKER.function;
    default:
      return value === null ? null : copyObject(value as object, depth, walk);
  }
}

/** An array, or an object whose prototype is `Object.prototype` or `null`: nothing JSON treats specially but `toJSON`. */
function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function copyObject(value: object, depth: number, walk: Walk): unknown {
  const ancestors = (walk.ancestors ??= new Set());
  if (ancestors.has(value)) return MARKER.circular;
  try {
    const plain = isPlainContainer(value);
    if (!plain && value instanceof Date)
      return Number.isNaN(value.getTime()) ? MARKER.invalidDate : value.toISOString();
    if (
      !plain &&
      (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer)
    ) {
      return BINARY_PLACEHOLDER;
    }
    if (depth > MAX_DEPTH) return MARKER.maxDepth;
    ancestors.add(value);
    try {
      return plain ? copyPlain(value, depth, walk) : copySpecial(value, depth, walk);
    } finally {
      ancestors.delete(value);
    }
  } catch {
    return MARKER.unreadable;
  }
}

/** A set, a map or an error, as JSON-safe data; any other class instance as its own enumerable members. */
function copySpecial(value: object, depth: number, walk: Walk): unknown {
  if (value instanceof Set) {
    const items = takeFirst(value.values());
    return copyItems(items, items.length, depth, walk);
  }
  if (value instanceof Map) {
    // A null-prototype record keeps `__proto__` as an ordinary key; a later duplicate key wins, as in a Map.
    const entries: Record<string, unknown> = Object.create(null);
    for (const [key, item] of takeFirst(value.entries())) entries[keyText(key)] = item;
    return copyMembers(entries, Object.keys(entries), depth, walk);
  }
  if (value instanceof Error) {
    const name = read(() => value.name);
    const message = read(() => value.message);
    const copy = {
      name: typeof name === 'string' ? scanText(name, MAX_NAME_CHARS, walk) : 'Error',
      message: typeof message === 'string' ? scanText(message, MAX_TEXT_CHARS, walk) : '',
    };
    walk.bytes += stringBytesAtMost(copy.name) + stringBytesAtMost(copy.message) + 20;
    return copy;
  }
  return copyPlain(value, depth, walk);
}

/** An array's items, or an object's members (after its `toJSON`, as JSON.stringify would). */
function copyPlain(value: object, depth: number, walk: Walk): unknown {
  if (Array.isArray(value)) {
    const length = Number(value.length);
    return copyItems(value, Number.isFinite(length) ? length : 0, depth, walk);
  }
  const toJSON: unknown = Reflect.get(value, 'toJSON');
  // Like JSON.stringify, an object that defines toJSON is sent as what it returns, one level deeper.
  if (typeof toJSON === 'function')
    return copyValue(
      read(() => toJSON.call(value)),
      depth + 1,
      walk,
    );
  return copyMembers(value as Record<string, unknown>, keysOf(value, walk), depth, walk);
}

/** Wider objects than this have their first keys remembered, so a shared wide object is enumerated once. */
const REMEMBERED_KEYS = 64;

/** The first `MAX_ENTRIES` own enumerable keys; a wide object's are listed once per payload. */
function keysOf(value: object, walk: Walk): readonly string[] {
  const remembered = walk.members?.get(value);
  if (remembered) return remembered;
  const keys = Object.keys(value);
  if (keys.length <= REMEMBERED_KEYS) return keys;
  const first = keys.length > MAX_ENTRIES ? keys.slice(0, MAX_ENTRIES) : keys;
  (walk.members ??= new Map()).set(value, first);
  return first;
}

function takeFirst<T>(iterator: Iterator<T>): T[] {
  const items: T[] = [];
  for (let step = iterator.next(); !step.done && items.length < MAX_ENTRIES; step = iterator.next()) {
    items.push(step.value);
  }
  return items;
}

function keyText(key: unknown): string {
  const text = read(() => String(key));
  return typeof text === 'string' ? text : MARKER.unreadable;
}

/** Reads `source[key]`; a getter or proxy trap that throws gives `[unreadable]`. */
function readMember(source: object, key: string | number): unknown {
  try {
    return (source as Record<string | number, unknown>)[key];
  } catch {
    return MARKER.unreadable;
  }
}

function copyItems(source: ArrayLike<unknown>, length: number, depth: number, walk: Walk): unknown[] {
  const out: unknown[] = [];
  const count = Math.min(length, MAX_ENTRIES);
  walk.bytes += 2 + count;
  for (let index = 0; index < count && walk.nodes < MAX_PAYLOAD_NODES; index++) {
    const item = copyValue(readMember(source, index), depth + 1, walk);
    out.push(item === undefined ? null : item);
  }
  return out;
}

function copyMembers(
  source: Record<string, unknown>,
  keys: readonly string[],
  depth: number,
  walk: Walk,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  walk.bytes += 2;
  for (const key of keys) {
    if (walk.nodes >= MAX_PAYLOAD_NODES) break;
    // A secret key's value is never read, so a getter behind it never runs.
    const item = isSecretKey(key) ? REDACTED : copyValue(readMember(source, key), depth + 1, walk);
    if (item === undefined) continue;
    const names = (walk.keys ??= new Map());
    let name = names.get(key);
    if (name === undefined) {
      name = scanKey(key, walk);
      names.set(key, name);
    }
    walk.bytes += stringBytesAtMost(name) + 2;
    // defineProperty makes `__proto__` an own data property instead of a prototype change.
    if (name !== '__proto__') out[name] = item;
    else
      Object.defineProperty(out, name, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Returns a bounded, JSON-safe deep copy of any value with secrets redacted; never throws. */
export function sanitizePayload(value: unknown, options: SanitizePayloadOptions = {}): unknown {
  const requested = options.maxStringChars;
  const walk: Walk = {
    ancestors: undefined,
    keys: undefined,
    members: undefined,
    maxStringChars:
      requested !== undefined && Number.isFinite(requested) && requested >= 0
        ? Math.floor(requested)
        : MAX_PAYLOAD_STRING_CHARS,
    nodes: 0,
    scanChars: 0,
    bytes: 0,
  };
  try {
    const copy = copyValue(value, 1, walk);
    if (typeof copy === 'object' && copy !== null) rememberJsonBytesAtMost(copy, walk.bytes);
    return copy;
  } catch {
    return MARKER.unreadable;
  }
}
