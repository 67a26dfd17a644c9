import { shrinkExceptionList } from './exception-bound';
import { jsonByteLength, jsonBytesAtMost } from './json-size';
import { MAX_EVENT_BYTES, MAX_NAME_CHARS } from './limits';
import { cutText } from './sanitize';

export { jsonByteLength };

/** Options of `boundProperties`. */
export interface BoundPropertiesOptions {
  /** Keys that are never dropped (their strings are cut only as a last resort). */
  required: ReadonlySet<string>;
  /** Largest compact UTF-8 JSON size of the whole properties object. @default MAX_EVENT_BYTES */
  maxBytes?: number;
}

const SHRINK_FIRST = ['$mcp_response', '$mcp_parameters'];
const TRUNCATE_NEVER_DROP = '$mcp_error_message';
const NEVER_CUT = '$session_id';
const EXCEPTION_LIST = '$exception_list';
const STRING_CAPS = [4_096, 1_024, 256, 64];
const MAX_WALK_DEPTH = 64;

interface Sizing {
  readonly members: Map<string, { value: unknown; bytes: number }>;
  total: number;
}

const memberBytes = (key: string, value: unknown): number => jsonByteLength(key) + 1 + jsonByteLength(value);

function measure(properties: Record<string, unknown>): Sizing {
  const members = new Map<string, { value: unknown; bytes: number }>();
  for (const [key, value] of Object.entries(properties)) {
    const valueBytes = jsonByteLength(value);
    if (valueBytes === 0) continue;
    members.set(key, { value, bytes: jsonByteLength(key) + 1 + valueBytes });
  }
  let total = 2 + Math.max(0, members.size - 1);
  for (const member of members.values()) total += member.bytes;
  return { members, total };
}

function truncateStrings(value: unknown, cap: number, depth = 0): unknown {
  if (typeof value === 'string') return cutText(value, cap);
  if (typeof value !== 'object' || value === null || depth > MAX_WALK_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => truncateStrings(item, cap, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    defineMember(out, key, truncateStrings(item, cap, depth + 1));
  }
  return out;
}

function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment is faster; only `__proto__` needs defineProperty to stay an own data property.
  if (key !== '__proto__') target[key] = value;
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** True when JSON omits a member with this value. */
const isOmitted = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** The common case: the whole object already fits (by an upper bound, else one serialization), so it is copied as it is. */
function copyIfFits(
  properties: Record<string, unknown>,
  maxBytes: number,
): Record<string, unknown> | undefined {
  if (jsonBytesAtMost(properties, maxBytes) > maxBytes) {
    const json = JSON.stringify(properties);
    if (json === undefined || (json.length * 3 > maxBytes && Buffer.byteLength(json, 'utf8') > maxBytes))
      return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) {
    const value = properties[key];
    if (!isOmitted(value)) defineMember(out, key, value);
  }
  return out;
}

function replaceValue(sizing: Sizing, key: string, value: unknown): void {
  const member = sizing.members.get(key);
  if (member === undefined) return;
  const bytes = memberBytes(key, value);
  sizing.total += bytes - member.bytes;
  sizing.members.set(key, { value, bytes });
}

function dropMember(sizing: Sizing, key: string): void {
  const member = sizing.members.get(key);
  if (member === undefined) return;
  sizing.members.delete(key);
  sizing.total -= member.bytes + (sizing.members.size > 0 ? 1 : 0);
}

/** Cuts a member's strings to smaller and smaller caps, then drops it if allowed; true once the event fits. */
function shrinkMember(sizing: Sizing, key: string, maxBytes: number, canDrop: boolean): boolean {
  const member = sizing.members.get(key);
  if (key === EXCEPTION_LIST && member && Array.isArray(member.value)) {
    // Frames and nested errors go before any string of the top error is cut.
    const budget = maxBytes - (sizing.total - member.bytes) - jsonByteLength(key) - 1;
    replaceValue(sizing, key, shrinkExceptionList(member.value, budget));
    if (sizing.total <= maxBytes) return true;
  }
  const original = sizing.members.get(key)?.value;
  for (const cap of STRING_CAPS) {
    replaceValue(sizing, key, truncateStrings(original, cap));
    if (sizing.total <= maxBytes) return true;
  }
  if (canDrop) dropMember(sizing, key);
  return sizing.total <= maxBytes;
}

const largestFirst = (sizing: Sizing, keys: string[]): string[] =>
  keys.sort((a, b) => (sizing.members.get(b)?.bytes ?? 0) - (sizing.members.get(a)?.bytes ?? 0));

function shrinkOrders(
  sizing: Sizing,
  required: ReadonlySet<string>,
): { optional: string[]; lastResort: string[] } {
  const keys = [...sizing.members.keys()];
  const isOptional = (key: string): boolean => !required.has(key) && key !== TRUNCATE_NEVER_DROP;
  const first = SHRINK_FIRST.filter((key) => sizing.members.has(key) && isOptional(key));
  const others = keys.filter((key) => isOptional(key) && !SHRINK_FIRST.includes(key));
  const errorMessage = sizing.members.has(TRUNCATE_NEVER_DROP) ? [TRUNCATE_NEVER_DROP] : [];
  const rest = keys.filter((key) => !isOptional(key) && key !== TRUNCATE_NEVER_DROP && key !== NEVER_CUT);
  return {
    optional: [...first, ...largestFirst(sizing, others)],
    lastResort: [...errorMessage, ...largestFirst(sizing, rest)],
  };
}

function toObject(sizing: Sizing): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of sizing.members) defineMember(out, key, member.value);
  return out;
}

function keepRequiredOnly(
  properties: Record<string, unknown>,
  required: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of required) {
    try {
      const value = properties[key];
      if (typeof value !== 'object' || value === null)
        defineMember(out, key, truncateStrings(value, MAX_NAME_CHARS));
    } catch {
      // A property that cannot be read is left out of the last-ditch copy.
    }
  }
  return out;
}

/**
 * Returns a copy of sanitized event properties whose compact UTF-8 JSON fits `maxBytes`, shrinking
 * `$mcp_response`, then `$mcp_parameters`, then other optional properties, largest first.
 */
export function boundProperties(
  properties: Record<string, unknown>,
  options: BoundPropertiesOptions,
): Record<string, unknown> {
  const maxBytes = options.maxBytes ?? MAX_EVENT_BYTES;
  try {
    const fits = copyIfFits(properties, maxBytes);
    if (fits) return fits;
    const sizing = measure(properties);
    if (sizing.total <= maxBytes) return toObject(sizing);
    const { optional, lastResort } = shrinkOrders(sizing, options.required);
    for (const key of optional) if (shrinkMember(sizing, key, maxBytes, true)) return toObject(sizing);
    for (const key of lastResort) if (shrinkMember(sizing, key, maxBytes, false)) return toObject(sizing);
    return toObject(sizing);
  } catch {
    return keepRequiredOnly(properties, options.required);
  }
}
