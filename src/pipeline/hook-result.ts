import type { MCPEvent } from '../events';
import { isPlainObject, type JsonObject, readProperty } from '../safe-object';
import { boundProperties } from './bound';
import { MAX_DISTINCT_ID_CHARS, MAX_ENTRIES, MAX_EVENT_BYTES, MAX_KEY_CHARS, MAX_NAME_CHARS } from './limits';
import { sanitizeName } from './sanitize';
import { sanitizePayload } from './sanitize-payload';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A JSON snapshot of hook-edited properties, sanitized and bounded again only when it needs to be. */
function snapshotProperties(properties: JsonObject, required: ReadonlySet<string>): JsonObject | undefined {
  try {
    const json = JSON.stringify(properties);
    if (Buffer.byteLength(json, 'utf8') <= MAX_EVENT_BYTES) {
      const parsed: unknown = JSON.parse(json);
      if (isPlainObject(parsed)) return parsed;
    }
  } catch {
    // Cycles, BigInt, throwing getters or proxies: fall through to the sanitizing copy.
  }
  const copy = sanitizePayload(properties);
  return isPlainObject(copy) ? boundProperties(copy, { required }) : undefined;
}

/**
 * Groups as posthog-node needs them: string keys (cut to `MAX_KEY_CHARS`) to strings or finite numbers, less the
 * members `keep` refuses (it sees the cut key and the clean value).
 */
export function sanitizeGroups(
  groups: unknown,
  keep: (key: string, value: string | number) => boolean = () => true,
): Record<string, string | number> | undefined {
  if (!isPlainObject(groups)) return undefined;
  const out: Record<string, string | number> = {};
  let keys: string[];
  try {
    keys = Object.keys(groups).slice(0, MAX_ENTRIES);
  } catch {
    return undefined;
  }
  let kept = false;
  for (const key of keys) {
    const value = readProperty(groups, key);
    const clean = typeof value === 'number' && Number.isFinite(value) ? value : sanitizeName(value);
    const name = key.slice(0, MAX_KEY_CHARS);
    if (clean === undefined || key === '__proto__' || !keep(name, clean)) continue;
    out[name] = clean;
    kept = true;
  }
  return kept ? out : undefined;
}

/**
 * Turns what an MCP `beforeSend` hook returned into an event that is safe to hand to `capture()`, or
 * `undefined` to drop it: fields of the wrong type fall back to the original's, properties are copied
 * to plain JSON (sanitized and bounded again when they no longer fit), and anything unreadable drops it.
 */
export function acceptHookResult(
  original: MCPEvent,
  result: unknown,
  required: ReadonlySet<string>,
): MCPEvent | undefined {
  if (!isPlainObject(result)) return undefined;
  const event = readProperty(result, 'event');
  const properties = readProperty(result, 'properties');
  if (
    typeof event !== 'string' ||
    event === '' ||
    event.length > MAX_NAME_CHARS ||
    !isPlainObject(properties)
  ) {
    return undefined;
  }
  const snapshot = snapshotProperties(properties, required);
  if (snapshot === undefined) return undefined;
  const distinctId = readProperty(result, 'distinctId');
  const timestamp = readProperty(result, 'timestamp');
  const uuid = readProperty(result, 'uuid');
  const groups = sanitizeGroups(readProperty(result, 'groups'));
  return {
    event,
    distinctId:
      typeof distinctId === 'string' && distinctId.trim() !== '' && distinctId.length <= MAX_DISTINCT_ID_CHARS
        ? distinctId
        : original.distinctId,
    properties: snapshot,
    timestamp:
      timestamp instanceof Date && !Number.isNaN(timestamp.getTime()) ? timestamp : original.timestamp,
    uuid: typeof uuid === 'string' && UUID.test(uuid) ? uuid : original.uuid,
    ...(groups ? { groups } : {}),
  };
}
