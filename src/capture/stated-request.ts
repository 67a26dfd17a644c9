import type { ResolvedOptions } from '../options';
import { MAX_NAME_CHARS } from '../pipeline/limits';
import { redactSecrets } from '../pipeline/redact';
import { normalizeIdentity } from '../request/identity';
import { type MetaFields, readMeta } from '../request/meta';
import { type RequestFacts, resolveRequestFacts, type SessionSource } from '../request/request-facts';
import { resolveTransport } from '../request/transport';
import type { ConnectionSessions } from '../session/connection-sessions';
import { normalizeConversationHandle } from '../session/conversation-handle';
import { deriveSessionId } from '../session/derive-session-id';
import { newSessionId } from '../session/new-session-id';
import { decodeSessionToken, type SessionTokenPayload } from '../session/session-token';
import type { CaptureCommon, Identity } from '../types';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A caller's session id as sent: derived when too long for a property or shaped like a credential. */
function statedSessionId(given: string): string {
  return given.length > MAX_NAME_CHARS || redactSecrets(given) !== given ? deriveSessionId(given) : given;
}

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
  const handle = anchoring ? normalizeConversationHandle(data.conversationId) : undefined;
  const given = str(data.sessionId) || undefined;
  const token = given === undefined ? undefined : (decodeSessionToken(given) ?? undefined);
  const transport = resolveTransport(data.session, connections);
  const stated =
    token?.sid ?? (given === undefined ? undefined : statedSessionId(given)) ?? transport.sessionId;
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
  const distinctId = str(data.distinctId);
  return (
    normalizeIdentity(data.identity) ??
    normalizeIdentity(
      distinctId ? { distinctId, properties: data.setProperties, groups: data.groups } : undefined,
    )
  );
}

/**
 * Resolves a finished call's request from what the caller states (session, identity, client fields, `_meta`,
 * headers) into the same facts the call step resolves; also returns the `_meta` fields it read.
 */
export function resolveStatedRequest(
  data: CaptureCommon,
  connections: ConnectionSessions,
  options: ResolvedOptions,
): { request: RequestFacts; meta: MetaFields } {
  const session = statedSession(data, connections, options.conversationAnchoring.enabled);
  const meta = readMeta(data.meta);
  const request = resolveRequestFacts({
    sessionId: session.sessionId,
    sessionSource: session.source,
    conversationId: session.conversationId,
    identity: statedIdentity(data),
    meta,
    explicit: {
      name: str(data.clientName),
      version: str(data.clientVersion),
      protocolVersion: str(data.protocolVersion),
      userAgent: str(data.clientUserAgent),
      vendor: str(data.vendorClient),
    },
    headers: data.headers,
    token: session.token,
    connection:
      session.connectionKey === undefined ? undefined : connections.getClient(session.connectionKey),
    server: {
      name: str(data.serverName) ?? options.serverName,
      version: str(data.serverVersion) ?? options.serverVersion,
      build: options.serverBuild,
    },
  });
  return { request, meta };
}
