import { sanitizeGroups } from './pipeline/hook-result';
import { redactSecrets } from './pipeline/redact';
import { sanitizePayload } from './pipeline/sanitize';
import { isPlainObject, readProperty } from './safe-object';
import type { ConnectionSessions } from './session/connection-sessions';
import { deriveSessionId } from './session/derive-session-id';
import { newSessionId } from './session/new-session-id';
import { decodeSessionToken, type SessionTokenPayload } from './session/session-token';
import type { HeadersLike, Identity, TransportSession } from './types';

/** The client's identity, per field from the first source that knows it. */
export interface ClientInfo {
  name?: string | undefined;
  version?: string | undefined;
  protocolVersion?: string | undefined;
  userAgent?: string | undefined;
  vendor?: string | undefined;
}

/** What every event of one request shares: session, identities and trace context. */
export interface RequestContext {
  sessionId: string;
  /** Where `$session_id` came from: a conversation handle, the transport, or fresh for this request alone. */
  sessionSource?: 'handle' | 'transport' | 'fresh' | undefined;
  conversationId?: string | undefined;
  identity?: Identity | undefined;
  client: ClientInfo;
  serverName?: string | undefined;
  serverVersion?: string | undefined;
  traceId?: string | undefined;
  parentSpanId?: string | undefined;
  traceState?: string | undefined;
}

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

function readString(value: unknown, key: string): string | undefined {
  const found = readProperty(value, key);
  return typeof found === 'string' ? found : undefined;
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
  if (typeof meta !== 'object' || meta === null) return {};
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

/** How the transport session resolved. */
export interface TransportResolution {
  sessionId: string | undefined;
  token: SessionTokenPayload | undefined;
  connectionKey?: unknown;
  hasConnection: boolean;
}

/** Resolves `{ connection }` or a session id; `isCall` starts a call on a connection (which may rotate it). */
export function resolveTransport(
  session: TransportSession | undefined,
  connections: ConnectionSessions,
  isCall: boolean,
): TransportResolution {
  if (typeof session === 'string' && session.length > 0) {
    const token = decodeSessionToken(session) ?? undefined;
    return {
      sessionId: token ? sessionIdFrom(token.sid) : deriveSessionId(session),
      token,
      hasConnection: false,
    };
  }
  if (typeof session === 'object' && session !== null) {
    const key = readProperty(session, 'connection');
    if (key !== undefined && key !== null) {
      const sessionId = isCall ? connections.begin(key) : connections.current(key);
      return { sessionId, token: undefined, connectionKey: key, hasConnection: true };
    }
  }
  return { sessionId: undefined, token: undefined, hasConnection: false };
}

/** The client identity sources of one request, in precedence order per field. */
export interface ClientSources {
  explicit?: ClientInfo | undefined;
  meta: MetaFields;
  headers?: HeadersLike | undefined;
  token?: SessionTokenPayload | undefined;
  connection?: ClientInfo | undefined;
}

/** Resolves the client's identity: explicit fields, `_meta`, the protocol header, a token, then `initialize`. */
export function resolveClient(sources: ClientSources): ClientInfo {
  const { explicit, meta, headers, token, connection } = sources;
  return {
    name: explicit?.name ?? meta.clientName ?? token?.cn ?? connection?.name,
    version: explicit?.version ?? meta.clientVersion ?? token?.cv ?? connection?.version,
    protocolVersion:
      explicit?.protocolVersion ??
      meta.protocolVersion ??
      readHeader(headers, 'mcp-protocol-version') ??
      token?.pv ??
      connection?.protocolVersion,
    userAgent: explicit?.userAgent ?? readHeader(headers, 'user-agent'),
    vendor: explicit?.vendor ?? readHeader(headers, 'x-anthropic-client'),
  };
}

/** Longest `distinct_id` PostHog accepts. */
export const MAX_DISTINCT_ID_CHARS = 200;

/** What a session id may look like to be used as given. */
const PLAIN_SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** C0 and C1 control characters, DEL, and (in `u` mode, where a pair is one code point) a lone surrogate. */
const UNFIT_IN_ID = /[\p{Cc}\p{Cs}]/u;

/** True for a plain id: 1 to 128 letters, digits, `_`, `.`, `:` or `-`, and not shaped like a credential. */
export function isPlainSessionId(value: unknown): value is string {
  return typeof value === 'string' && PLAIN_SESSION_ID.test(value) && redactSecrets(value) === value;
}

/**
 * The `$session_id` for a session id a client or host supplied (a token's `sid`, `captureX({ sessionId })`):
 * the id itself when it is plain, else derived, so no email, key, control character or lone surrogate goes
 * out as an identifier.
 */
export function sessionIdFrom(value: string): string {
  return isPlainSessionId(value) ? value : deriveSessionId(value);
}

/** True when text may be used as an identifier: no control characters and no lone surrogates. */
export function isFitForId(value: string): boolean {
  return !UNFIT_IN_ID.test(value);
}

/** Groups snapshotted as `sanitizeGroups` accepts them, less any key or value unfit for an identifier. */
function snapshotGroups(groups: unknown): Record<string, string | number> | undefined {
  const clean = sanitizeGroups(groups);
  if (clean === undefined) return undefined;
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(clean)) {
    if (isFitForId(key) && (typeof value === 'number' || isFitForId(value))) out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Accepts an identity only when it has a non-empty string `distinctId` of at most 200 characters with no
 * control characters or lone surrogates; its `properties` and `groups` are copied (bounded and sanitized)
 * now, so a host that reuses and changes one identity object cannot change an event already accepted.
 */
export function normalizeIdentity(identity: unknown): Identity | undefined {
  const distinctId = readProperty(identity, 'distinctId');
  if (typeof distinctId !== 'string' || distinctId.trim() === '') return undefined;
  // PostHog refuses longer distinct ids; such an identity is treated as absent rather than losing the batch.
  if (distinctId.length > MAX_DISTINCT_ID_CHARS || !isFitForId(distinctId)) return undefined;
  const properties = readProperty(identity, 'properties');
  const copied =
    typeof properties === 'object' && properties !== null ? sanitizePayload(properties) : undefined;
  const groups = snapshotGroups(readProperty(identity, 'groups'));
  return {
    distinctId,
    ...(isPlainObject(copied) ? { properties: copied } : {}),
    ...(groups ? { groups } : {}),
  };
}

/** A fresh session id for a request that nobody groups. */
export const freshSessionId = newSessionId;
