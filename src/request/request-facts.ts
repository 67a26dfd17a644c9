import { PROP, VALUE } from '../events';
import { copyMembers } from '../safe-object';
import { deriveSessionId } from '../session/derive-session-id';
import type { SessionTokenPayload } from '../session/session-token';
import type { HeadersLike, Identity, JsonObject } from '../types';
import { type MetaFields, readHeader } from './meta';
import { parseTraceparent } from './trace-context';

/** Where `$session_id` came from: a conversation handle, the transport, or fresh for this request alone. */
export type SessionSource = 'handle' | 'transport' | 'fresh';

/** The client identity fields a caller may state explicitly. */
export interface ExplicitClient {
  name?: string | undefined;
  version?: string | undefined;
  protocolVersion?: string | undefined;
  userAgent?: string | undefined;
  vendor?: string | undefined;
}

/** Server fields: the options' values, or a per-event override. */
export interface ServerFields {
  name?: string | undefined;
  version?: string | undefined;
  build?: string | undefined;
}

/** Everything a request tells about who sent it, each field from the first source that knows it. */
export interface RequestInputs {
  sessionId: string;
  sessionSource: SessionSource;
  conversationId?: string | undefined;
  identity: Identity | undefined;
  meta: MetaFields;
  explicit?: ExplicitClient | undefined;
  headers?: HeadersLike | undefined;
  token?: SessionTokenPayload | undefined;
  connection?: { name?: string; version?: string; protocolVersion?: string } | undefined;
  server: ServerFields;
}

/**
 * A request resolved once, at call time, into what its events share: the common wire properties
 * (interface, session, conversation, client, server, trace, person) and the event's identity.
 */
export interface RequestFacts {
  /** PROP-keyed raw values; sanitized later, off the request path. */
  readonly properties: JsonObject;
  readonly distinctId: string;
  /** The `$session_id` these facts carry. */
  readonly sessionId: string;
  readonly groups: Record<string, string | number> | undefined;
  readonly sessionSource: SessionSource;
  readonly identified: boolean;
}

/** The keys every event of a request shares; an `$exception` sibling copies them from its call. */
export const REQUEST_KEYS: readonly string[] = [
  PROP.interface,
  PROP.sessionId,
  PROP.conversationId,
  PROP.clientName,
  PROP.clientVersion,
  PROP.protocolVersion,
  PROP.clientUserAgent,
  PROP.vendorClient,
  PROP.serverName,
  PROP.serverVersion,
  PROP.serverBuild,
  PROP.traceId,
  PROP.spanId,
  PROP.traceState,
  PROP.processPersonProfile,
  PROP.set,
  PROP.groups,
];

function clientProperties(inputs: RequestInputs, out: JsonObject): void {
  const { explicit, meta, headers, token, connection } = inputs;
  out[PROP.clientName] = explicit?.name ?? meta.clientName ?? token?.cn ?? connection?.name;
  out[PROP.clientVersion] = explicit?.version ?? meta.clientVersion ?? token?.cv ?? connection?.version;
  out[PROP.protocolVersion] =
    explicit?.protocolVersion ??
    meta.protocolVersion ??
    readHeader(headers, 'mcp-protocol-version') ??
    token?.pv ??
    connection?.protocolVersion;
  out[PROP.clientUserAgent] = explicit?.userAgent ?? readHeader(headers, 'user-agent');
  out[PROP.vendorClient] = explicit?.vendor ?? readHeader(headers, 'x-anthropic-client');
}

function traceProperties(meta: MetaFields, out: JsonObject): void {
  const trace = parseTraceparent(meta.traceparent);
  if (!trace) return;
  out[PROP.traceId] = trace.traceId;
  out[PROP.spanId] = trace.parentSpanId;
  out[PROP.traceState] = meta.tracestate;
}

/** Resolves a request's facts once; every event of the request starts from them. */
export function resolveRequestFacts(inputs: RequestInputs): RequestFacts {
  const properties: JsonObject = {
    [PROP.interface]: VALUE.interface,
    [PROP.sessionId]: inputs.sessionId,
    [PROP.conversationId]: inputs.conversationId,
    [PROP.serverName]: inputs.server.name,
    [PROP.serverVersion]: inputs.server.version,
    [PROP.serverBuild]: inputs.server.build,
  };
  clientProperties(inputs, properties);
  traceProperties(inputs.meta, properties);
  const identity = inputs.identity;
  let groups: Record<string, string | number> | undefined;
  if (identity) {
    if (identity.properties !== undefined) properties[PROP.set] = identity.properties;
    groups = identity.groups;
    if (groups) properties[PROP.groups] = groups;
  } else {
    properties[PROP.processPersonProfile] = false;
  }
  return {
    properties,
    distinctId: identity?.distinctId ?? inputs.sessionId,
    sessionId: inputs.sessionId,
    groups,
    sessionSource: inputs.sessionSource,
    identified: identity !== undefined,
  };
}

/** The facts once a minted conversation handle was delivered: the handle decides the session. */
export function anchorToHandle(facts: RequestFacts, handle: string): RequestFacts {
  const sessionId = deriveSessionId(handle);
  const properties = copyMembers(facts.properties);
  properties[PROP.sessionId] = sessionId;
  properties[PROP.conversationId] = handle;
  return {
    ...facts,
    properties,
    distinctId: facts.identified ? facts.distinctId : sessionId,
    sessionId: sessionId,
    sessionSource: 'handle',
  };
}
