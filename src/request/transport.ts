import { readProperty } from '../safe-object';
import type { ConnectionSessions } from '../session/connection-sessions';
import { deriveSessionId } from '../session/derive-session-id';
import { decodeSessionToken, type SessionTokenPayload } from '../session/session-token';
import type { TransportSession } from '../types';
import { sessionIdFrom } from './identity';

/** How the transport session resolved. */
export interface TransportResolution {
  sessionId: string | undefined;
  token: SessionTokenPayload | undefined;
  /** The one-client connection key, when the session is `{ connection }`. */
  connectionKey?: unknown;
}

const NO_TRANSPORT: TransportResolution = { sessionId: undefined, token: undefined };

/** Resolves `{ connection }` or a session id; a call's start time starts a call on a connection (which may rotate it). */
export function resolveTransport(
  session: TransportSession | undefined,
  connections: ConnectionSessions,
  callStartedAt?: Date,
): TransportResolution {
  if (typeof session === 'string' && session.length > 0) {
    const token = decodeSessionToken(session) ?? undefined;
    return { sessionId: token ? sessionIdFrom(token.sid) : deriveSessionId(session), token };
  }
  if (typeof session === 'object' && session !== null) {
    const key = readProperty(session, 'connection');
    if (key !== undefined && key !== null) {
      const sessionId = callStartedAt
        ? connections.begin(key, callStartedAt.getTime())
        : connections.current(key);
      return { sessionId, token: undefined, connectionKey: key };
    }
  }
  return NO_TRANSPORT;
}
