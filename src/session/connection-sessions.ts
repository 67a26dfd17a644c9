import { LruMap } from '../lru-map.js';
import { newSessionId } from './new-session-id.js';

/** How many one-client connections are tracked before the least recently used is forgotten. */
export const DEFAULT_MAX_CONNECTION_KEYS = 1000;
/** How long a connection may sit without tool calls before its next call starts a new session. */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60 * 1000;

/** The client a connection announced in its `initialize` request. */
export interface ConnectionClient {
  /** `clientInfo.name`. */
  name?: string;
  /** `clientInfo.version`. */
  version?: string;
  /** The protocol revision the client asked for. */
  protocolVersion?: string;
}

/** Options for {@link ConnectionSessions}. */
export interface ConnectionSessionsOptions {
  /**
   * The most connections tracked at once; the least recently used beyond it is forgotten.
   * @default 1000
   */
  maxKeys?: number;
  /**
   * Idle time from which the next call starts a new session, in milliseconds: measured from the last time
   * a call began or ended, so a call left in flight longer than this no longer holds the session.
   * @default 1_800_000 (30 minutes)
   */
  idleMs?: number;
  /**
   * The clock calls are timed by, in epoch milliseconds.
   * @default Date.now
   */
  now?: () => number;
}

interface ConnectionState {
  sessionId: string;
  /** When a call last began or ended on the connection; `undefined` before its first call. */
  lastActiveAt: number | undefined;
  client: ConnectionClient | undefined;
}

const CLIENT_FIELDS = ['name', 'version', 'protocolVersion'] as const;

function copyClient(client: unknown): ConnectionClient | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  const source = client as Record<string, unknown>;
  const copy: ConnectionClient = {};
  for (const field of CLIENT_FIELDS) {
    const value = source[field];
    if (typeof value === 'string') copy[field] = value;
  }
  return copy;
}

function pickNumber(value: unknown, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

/**
 * Tracks the `$session_id` of each one-client connection (stdio, WebSocket, in-memory), keyed by any
 * value, rotating it on the first tool call after 30 minutes in which no call began or ended (a call
 * prepared but never completed cannot hold a session longer); bounded and never throws.
 *
 * @example
 * const sessions = new ConnectionSessions();
 * const sessionId = sessions.begin(connection);
 * try { await runTool(); } finally { sessions.end(connection); }
 */
export class ConnectionSessions {
  readonly #states: LruMap<unknown, ConnectionState>;
  readonly #idleMs: number;
  readonly #clock: () => number;

  /** Creates an empty tracker. */
  constructor(options: ConnectionSessionsOptions = {}) {
    this.#states = new LruMap(Math.floor(pickNumber(options.maxKeys, DEFAULT_MAX_CONNECTION_KEYS, 1)));
    this.#idleMs = pickNumber(options.idleMs, DEFAULT_SESSION_IDLE_MS, 0);
    this.#clock = typeof options.now === 'function' ? options.now : Date.now;
  }

  /** The number of connections currently tracked. */
  get size(): number {
    return this.#states.size;
  }

  /** Starts a tool call on the connection at `at` (epoch ms) and returns the session id the call belongs to. */
  begin(key: unknown, at: number = this.#now()): string {
    const state = this.#stateFor(key);
    const now = Number.isFinite(at) ? at : this.#now();
    if (state.lastActiveAt !== undefined && now - state.lastActiveAt >= this.#idleMs) {
      state.sessionId = newSessionId();
    }
    state.lastActiveAt = now;
    return state.sessionId;
  }

  /** Ends a tool call on the connection at `at` (epoch ms), starting its idle time. */
  end(key: unknown, at: number = this.#now()): void {
    const state = this.#states.get(key);
    if (state !== undefined) state.lastActiveAt = Number.isFinite(at) ? at : this.#now();
  }

  /** Returns the connection's session id for events that are not tool calls; never rotates it. */
  current(key: unknown): string {
    return this.#stateFor(key).sessionId;
  }

  /** Records the client the connection announced in `initialize`. */
  setClient(key: unknown, client: ConnectionClient): void {
    this.#stateFor(key).client = copyClient(client);
  }

  /** Returns the client the connection announced in `initialize`, if seen and still tracked. */
  getClient(key: unknown): ConnectionClient | undefined {
    const client = this.#states.peek(key)?.client;
    return client === undefined ? undefined : { ...client };
  }

  #stateFor(key: unknown): ConnectionState {
    const existing = this.#states.get(key);
    if (existing !== undefined) return existing;
    const created: ConnectionState = {
      sessionId: newSessionId(),
      lastActiveAt: undefined,
      client: undefined,
    };
    this.#states.set(key, created);
    return created;
  }

  #now(): number {
    try {
      const time = this.#clock();
      return Number.isFinite(time) ? time : Date.now();
    } catch {
      return Date.now();
    }
  }
}
