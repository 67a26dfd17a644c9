import { readProperty, stringOrUndefined } from '../safe-object';
import type { HeadersLike } from '../types';

/** The values a request's `params._meta` can carry for analytics. */
export interface MetaFields {
  userIntent?: string | undefined;
  model?: string | undefined;
  clientName?: string | undefined;
  clientVersion?: string | undefined;
  protocolVersion?: string | undefined;
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

const AI_INVOCATION = 'io.modelcontextprotocol/aiInvocation';
const CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
const PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
const CODEX_TURN = 'x-codex-turn-metadata';
const MAX_EMBEDDED_JSON_CHARS = 16_384;
const NO_META: MetaFields = {};

function readString(value: unknown, key: string): string | undefined {
  return stringOrUndefined(readProperty(value, key));
}

function readObjectOrJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.length > MAX_EMBEDDED_JSON_CHARS) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Reads intent, model, client identity and trace context from `params._meta`. */
export function readMeta(meta: unknown): MetaFields {
  if (typeof meta !== 'object' || meta === null) return NO_META;
  const invocation = readProperty(meta, AI_INVOCATION);
  const clientInfo = readProperty(meta, CLIENT_INFO);
  const codex = readObjectOrJson(readProperty(meta, CODEX_TURN));
  return {
    userIntent: readString(invocation, 'userIntent'),
    model: readString(invocation, 'model') ?? readString(codex, 'model'),
    clientName: readString(clientInfo, 'name'),
    clientVersion: readString(clientInfo, 'version'),
    protocolVersion: readString(meta, PROTOCOL_VERSION),
    traceparent: readString(meta, 'traceparent'),
    tracestate: readString(meta, 'tracestate'),
  };
}

/** Reads one header, case-insensitively, from a plain object or a WHATWG `Headers`. */
export function readHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  try {
    if (typeof (headers as { get?: unknown }).get === 'function') {
      const value = (headers as { get(n: string): unknown }).get(name);
      return typeof value === 'string' ? value : undefined;
    }
    const record = headers as Record<string, unknown>;
    let value = record[name] ?? record[name.toLowerCase()];
    if (value === undefined) {
      const lower = name.toLowerCase();
      const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
      value = key === undefined ? undefined : record[key];
    }
    if (Array.isArray(value)) value = value[0];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
