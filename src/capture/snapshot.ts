import { readProperty } from '../safe-object';

/** Every field a finished-call method reads from the caller's data (the union of the capture data types). */
const CAPTURE_KEYS: readonly string[] = [
  'arguments',
  'category',
  'clientName',
  'clientUserAgent',
  'clientVersion',
  'context',
  'conversationId',
  'distinctId',
  'durationMs',
  'error',
  'errorStatus',
  'errorType',
  'groups',
  'headers',
  'identity',
  'inputRequestMethods',
  'intent',
  'intentSource',
  'isError',
  'jsonRpcError',
  'llmModel',
  'llmModelSource',
  'meta',
  'name',
  'names',
  'parameters',
  'properties',
  'protocolVersion',
  'report',
  'response',
  'result',
  'serverName',
  'serverVersion',
  'session',
  'sessionId',
  'setProperties',
  'timestamp',
  'tool',
  'toolDescription',
  'toolName',
  'toolNames',
  'tools',
  'uri',
  'vendorClient',
];
const KNOWN: ReadonlySet<string> = new Set(CAPTURE_KEYS);

function isLiteral(value: object): boolean {
  try {
    return Object.getPrototypeOf(value) === Object.prototype;
  } catch {
    return false;
  }
}

/** Own enumerable known fields of an object literal; `undefined` when its keys cannot be listed. */
function ownFields(data: object): Record<string, unknown> | undefined {
  let keys: string[];
  try {
    keys = Object.keys(data);
  } catch {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) if (KNOWN.has(key)) out[key] = readProperty(data, key);
  return out;
}

/**
 * The caller's data read once, at call time, into a plain object of the fields the capture methods know:
 * top-level fields changed afterwards do not reach the event (nested values are shared, as before). Each
 * getter runs at most once and a throwing one reads as absent.
 */
export function snapshotData<T extends object>(data: T): T {
  const fast = isLiteral(data) ? ownFields(data) : undefined;
  if (fast) return fast as T;
  const out: Record<string, unknown> = {};
  for (const key of CAPTURE_KEYS) {
    const value = readProperty(data, key);
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
