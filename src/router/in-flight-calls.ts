import { LruMap } from '../lru-map';
import { readProperty } from '../safe-object';
import type { PreparedToolCall } from '../tools/call-state';
import type { TransportSession } from '../types';
import type { RequestId } from './json-rpc';

/** Most tool calls tracked for cancellation at once; past it the oldest stops being cancellable. */
export const MAX_IN_FLIGHT_CALLS = 10_000;
/**
 * Longest key (transport session and request id, both client text) tracked, in characters: with
 * {@link MAX_IN_FLIGHT_CALLS} this bounds the keys to a few MB. A call with a longer one is not cancellable.
 */
export const MAX_IN_FLIGHT_KEY_CHARS = 512;

/** A tool call between dispatch and response. */
export interface InFlightCall {
  call: PreparedToolCall;
  cancelled: boolean;
}

/**
 * The tool calls awaiting their response, keyed by transport session and request id, so that
 * `notifications/cancelled` finds the call it names. Calls without a session are not tracked: request ids
 * repeat across clients, so a match could name another client's call.
 */
export class InFlightCalls {
  readonly #calls = new LruMap<string, InFlightCall>(MAX_IN_FLIGHT_CALLS);
  readonly #connectionIds = new WeakMap<object, number>();
  #nextConnectionId = 0;

  /** Starts tracking a call; returns the key to stop with, or `undefined` when it cannot be tracked. */
  begin(session: TransportSession | undefined, id: RequestId, call: PreparedToolCall): string | undefined {
    const key = this.#key(session, id);
    if (key !== undefined) this.#calls.set(key, { call, cancelled: false });
    return key;
  }

  /** Stops tracking a call and tells whether it was cancelled meanwhile. */
  end(key: string | undefined): boolean {
    if (key === undefined) return false;
    const entry = this.#calls.peek(key);
    this.#calls.delete(key);
    return entry?.cancelled === true;
  }

  /** Marks the call named by a cancellation as cancelled and returns it, if it is still in flight. */
  cancel(session: TransportSession | undefined, id: unknown): PreparedToolCall | undefined {
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    const key = this.#key(session, id);
    const entry = key === undefined ? undefined : this.#calls.peek(key);
    if (!entry || entry.cancelled) return undefined;
    entry.cancelled = true;
    return entry.call;
  }

  #key(session: TransportSession | undefined, id: RequestId): string | undefined {
    const scope = this.#scope(session);
    if (scope === undefined) return undefined;
    const key = `${scope}\u0000${typeof id}:${id}`;
    return key.length > MAX_IN_FLIGHT_KEY_CHARS ? undefined : key;
  }

  #scope(session: TransportSession | undefined): string | undefined {
    if (typeof session === 'string') return session === '' ? undefined : `s:${session}`;
    const connection = readProperty(session, 'connection');
    if (connection === undefined || connection === null) return undefined;
    if (typeof connection !== 'object' && typeof connection !== 'function') {
      return `c:${typeof connection}:${String(connection)}`;
    }
    let id = this.#connectionIds.get(connection);
    if (id === undefined) {
      id = this.#nextConnectionId++;
      this.#connectionIds.set(connection, id);
    }
    return `o:${id}`;
  }
}
