import { MAX_NUMBER_BYTES, rememberJsonBytesAtMost, stringBytesAtMost } from './json-size';
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
import {
  isPlainContainer,
  keyFacts,
  keysOf,
  keyText,
  read,
  readMember,
  scanKey,
  scanText,
  takeFirst,
  type Walk,
} from './payload-walk';
import { isCountedMember, type RawSizes, rawScalarBytes } from './raw-size';
import { cutText, MARKER } from './sanitize';

/** Options of `sanitizePayload`. */
export interface SanitizePayloadOptions {
  /** Longest string value kept. @default MAX_PAYLOAD_STRING_CHARS */
  maxStringChars?: number;
  /** Records the raw sizes of the wanted objects the walk reads whole. @default undefined */
  sizes?: RawSizes | undefined;
  /**
   * Remembers the copy's JSON-size bound for the wire check (`rememberJsonBytesAtMost`): worth it off the request
   * path, for the payloads the event keeps; a request-path copy (an identity's `$set`) is cheaper walked again.
   * @default false
   */
  remember?: boolean;
}

/** Copies one value and adds what a scalar copy costs in JSON to the walk's bound (containers add their own). */
function copyValue(value: unknown, depth: number, walk: Walk): unknown {
  if (walk.sizes !== undefined && (typeof value !== 'object' || value === null))
    walk.raw += rawScalarBytes(value) ?? 0;
  const copy = copyAny(value, depth, walk);
  // A copied string is sanitized text or a marker: never a lone surrogate (`sanitizeText` makes it well formed).
  if (typeof copy === 'string') walk.bytes += stringBytesAtMost(copy, true);
  else if (typeof copy !== 'object' || copy === null) walk.bytes += MAX_NUMBER_BYTES;
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

function copyObject(value: object, depth: number, walk: Walk): unknown {
  const sizes = walk.sizes;
  if (sizes !== undefined) walk.raw += 2;
  // At most MAX_DEPTH + 1 deep: scanning the stack costs less than hashing each object into a set.
  const ancestors = walk.ancestors ?? [];
  walk.ancestors = ancestors;
  if (ancestors.includes(value)) return MARKER.circular;
  const raw = walk.raw - 2;
  const partial = walk.partial;
  if (sizes !== undefined) meet(value, walk, sizes);
  ancestors.push(value);
  const copy = copyNew(value, depth, walk); // never throws
  ancestors.pop();
  // With `sizes`, the raw size of an object the walk read whole, as `estimateJsonBytes` would count it.
  if (sizes !== undefined && walk.partial === partial) sizes.record(value, walk.raw - raw);
  return copy;
}

/** Marks an object met (with `sizes`): one met before is read again, where the estimate counts `{}` (see `met`). */
function meet(value: object, walk: Walk, sizes: RawSizes): void {
  const met = walk.met ?? new Set<unknown>(sizes.originals);
  walk.met = met;
  if (met.has(value)) walk.partial++;
  else met.add(value);
}

/** Copies an object that is not its own ancestor (the caller marks it as one while this runs). */
function copyNew(value: object, depth: number, walk: Walk): unknown {
  try {
    const plain = isPlainContainer(value);
    if (!plain && value instanceof Date) {
      walk.partial++;
      return Number.isNaN(value.getTime()) ? MARKER.invalidDate : value.toISOString();
    }
    if (
      !plain &&
      (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer)
    ) {
      walk.partial++;
      return BINARY_PLACEHOLDER;
    }
    if (depth > MAX_DEPTH || !plain) walk.partial++;
    if (depth > MAX_DEPTH) return MARKER.maxDepth;
    return plain ? copyPlain(value, depth, walk) : copySpecial(value, depth, walk);
  } catch {
    walk.partial++;
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
  if (typeof toJSON === 'function') {
    walk.partial++;
    return copyValue(
      read(() => toJSON.call(value)),
      depth + 1,
      walk,
    );
  }
  return copyMembers(value as Record<string, unknown>, keysOf(value, walk), depth, walk);
}

function copyItems(source: ArrayLike<unknown>, length: number, depth: number, walk: Walk): unknown[] {
  const out: unknown[] = [];
  const count = Math.min(length, MAX_ENTRIES);
  walk.bytes += 2 + count;
  walk.raw += Math.max(0, length - 1);
  let index = 0;
  for (; index < count && walk.nodes < MAX_PAYLOAD_NODES; index++) {
    const item = copyValue(readMember(source, index, walk), depth + 1, walk);
    out.push(item === undefined ? null : item);
  }
  if (index < length) walk.partial++;
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
  let entries = 0;
  for (const key of keys) {
    if (walk.nodes >= MAX_PAYLOAD_NODES) {
      walk.partial++;
      break;
    }
    const facts = keyFacts(key, walk);
    // A secret key's value is never read, so a getter behind it never runs (nor is its raw size known).
    const value = facts.secret ? REDACTED : readMember(source, key, walk);
    if (facts.secret) walk.partial++;
    else if (walk.sizes !== undefined && isCountedMember(value))
      walk.raw += facts.rawBytes + (entries++ > 0 ? 2 : 1);
    const item = facts.secret ? value : copyValue(value, depth + 1, walk);
    if (item === undefined) continue;
    if (facts.name === undefined) {
      facts.name = scanKey(key, walk);
      facts.bytes = stringBytesAtMost(facts.name) + 2;
    }
    const name = facts.name;
    walk.bytes += facts.bytes;
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
    sizes: options.sizes,
    raw: 0,
    partial: 0,
    met: undefined,
  };
  try {
    const copy = copyValue(value, 1, walk);
    if (options.remember === true && typeof copy === 'object' && copy !== null) {
      rememberJsonBytesAtMost(copy, walk.bytes);
    }
    return copy;
  } catch {
    return MARKER.unreadable;
  }
}
