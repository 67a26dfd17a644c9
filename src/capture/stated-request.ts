import type { CaptureCommon } from '../capture-data';
import type { ResolvedOptions } from '../options';
import { normalizeIdentity, sessionIdFrom } from '../request/identity';
import { type MetaFields, readMeta } from '../request/meta';
import { type RequestFacts, resolveRequestFacts, type SessionSource } from '../request/request-facts';
import { resolveTransport } from '../request/transport';
import { readProperty, stringOrUndefined as str } from '../safe-object';
import type { ConnectionSessions } from '../session/connection-sessions';
import { normalizeConversationHandle } from '../session/conversation-handle';
import { deriveSessionId } from '../session/derive-session-id';
import { newSessionId } from '../session/new-session-id';
import { decodeSessionToken, type SessionTokenPayload } from '../session/session-token';
import type { Identity } from '../types';

/** Reads one field of the caller's data without letting a getter throw. */
const field = (data: CaptureCommon, key: keyof CaptureCommon): unknown => readProperty(data, key);

interface StatedSession {
  sessionId: string;
  source: SessionSource;
  conversationId: string | undefined;
  token: SessionTokenPayload | undefined;
  connectionKey: unknown;
}

function statedSession(
  data: CaptureCommon,
  connections: ConnectionSessions,
  anchoring: boolean,
): StatedSession {
  const handle = anchoring ? normalizeConversationHandle(field(data, 'conversationId')) : undefined;
  const given = str(field(data, 'sessionId')) || undefined;
  const token = given === undefined ? undefined : (decodeSessionToken(given) ?? undefined);
  const transport = resolveTransport(field(data, 'session') as CaptureCommon['session'], connections);
  // A caller's id (or a token's) is used as given only when it is a plain id; anything else is derived.
  const passed = given === undefined ? undefined : sessionIdFrom(token?.sid ?? given);
  const stated = passed ?? transport.sessionId;
  const sessionId = handle ? deriveSessionId(handle) : (stated ?? newSessionId());
  return {
    sessionId,
    source: handle ? 'handle' : stated !== undefined ? 'transport' : 'fresh',
    conversationId: handle,
    token: token ?? transport.token,
    connectionKey: transport.connectionKey,
  };
}

function statedIdentity(data: CaptureCommon): Identity | undefined {
  const distinctId = str(field(data, 'distinctId'));
  const stated = distinctId
    ? { distinctId, properties: field(data, 'setProperties'), groups: field(data, 'groups') }
    : undefined;
  return normalizeIdentity(field(data, 'identity')) ?? normalizeIdentity(stated);
}

/** What a finished call's request must settle at call time: its session, identity and connection's client. */
export interface StatedCaller {
  session: StatedSession;
  identity: Identity | undefined;
  connection: { name?: string; version?: string; protocolVersion?: string } | undefined;
}

/**
 * Reads, at call time, what later calls or the host could change: the session (a connection's state, a fresh
 * id), the identity (snapshotted) and the client the connection announced.
 */
export function statedCaller(
  data: CaptureCommon,
  connections: ConnectionSessions,
  options: ResolvedOptions,
): StatedCaller {
  const session = statedSession(data, connections, options.conversationAnchoring.enabled);
  return {
    session,
    identity: statedIdentity(data),
    connection:
      session.connectionKey === undefined ? undefined : connections.getClient(session.connectionKey),
  };
}

/**
 * Resolves a finished call's request from what the caller states (session, identity, client fields, `_meta`,
 * headers) into the same facts the call step resolves; also returns the `_meta` fields it read.
 */
export function resolveStatedRequest(
  data: CaptureCommon,
  caller: StatedCaller,
  options: ResolvedOptions,
): { request: RequestFacts; meta: MetaFields } {
  const { session } = caller;
  const meta = readMeta(field(data, 'meta'));
  const request = resolveRequestFacts({
    sessionId: session.sessionId,
    sessionSource: session.source,
    conversationId: session.conversationId,
    identity: caller.identity,
    meta,
    explicit: {
      name: str(field(data, 'clientName')),
      version: str(field(data, 'clientVersion')),
      protocolVersion: str(field(data, 'protocolVersion')),
      userAgent: str(field(data, 'clientUserAgent')),
      vendor: str(field(data, 'vendorClient')),
    },
    headers: field(data, 'headers') as CaptureCommon['headers'],
    token: session.token,
    connection: caller.connection,
    server: {
      name: str(field(data, 'serverName')) ?? options.serverName,
      version: str(field(data, 'serverVersion')) ?? options.serverVersion,
      build: options.serverBuild,
    },
  });
  return { request, meta };
}
