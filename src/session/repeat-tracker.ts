/** Most sessions whose last call is remembered; the least recently active is forgotten past it. */
export const MAX_REPEAT_SESSIONS = 10_000;
/** Longest session id kept as a key; a longer one is not tracked. */
const MAX_SESSION_KEY_CHARS = 256;

interface LastCall {
  /** Tool name and argument hash, at most a few hundred characters. */
  key: string;
  repeats: number;
}

/**
 * `$mcp_repeat_count`: per `$session_id`, how many calls immediately before this one had the same tool and
 * arguments. Bounded to {@link MAX_REPEAT_SESSIONS} sessions, each keeping one fixed-size key.
 */
export class RepeatTracker {
  readonly #sessions = new Map<string, LastCall>();

  /** Records a call and returns how many identical calls immediately preceded it in its session. */
  record(sessionId: string, callKey: string): number {
    if (sessionId.length > MAX_SESSION_KEY_CHARS) return 0;
    const last = this.#sessions.get(sessionId);
    const repeats = last !== undefined && last.key === callKey ? last.repeats + 1 : 0;
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, { key: callKey, repeats });
    if (this.#sessions.size > MAX_REPEAT_SESSIONS) {
      const oldest = this.#sessions.keys().next();
      if (!oldest.done) this.#sessions.delete(oldest.value);
    }
    return repeats;
  }
}
