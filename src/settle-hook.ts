/** How a host hook call ended: its value, its error, or no answer within the time limit. */
export type HookOutcome<T> =
  | { status: 'value'; value: T }
  | { status: 'error'; error: unknown }
  | { status: 'timeout' };

/**
 * Awaits what a host hook returned for at most `limitMs`. A plain value is taken as it is; a promise or
 * any thenable is raced against a timer that does not keep the process alive, so a hook that never
 * settles (or a thenable that never calls back) neither blocks its event for long nor holds the process open.
 */
export function settleHook<T>(returned: T | PromiseLike<T>, limitMs: number): Promise<HookOutcome<T>> {
  let answer: Promise<T>;
  try {
    if (!isThenable(returned)) return Promise.resolve({ status: 'value', value: returned as T });
    // Promise.resolve adopts a thenable on a later microtask and turns a throwing `then` into a rejection.
    answer = Promise.resolve(returned);
  } catch (error) {
    return Promise.resolve({ status: 'error', error });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ status: 'timeout' }), limitMs);
    timer.unref?.();
    answer.then(
      (value) => {
        clearTimeout(timer);
        resolve({ status: 'value', value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ status: 'error', error });
      },
    );
  });
}

/**
 * Resolves `true` once `work` settles, or `false` after `limitMs`, whichever comes first. Its timer keeps the
 * process alive, so `await`ing it in a process with nothing else to do still returns instead of exiting.
 */
export function waitAtMost(work: Promise<unknown>, limitMs: number): Promise<boolean> {
  if (limitMs <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), limitMs);
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return typeof (value as { then?: unknown }).then === 'function';
}

/** How much longer than one hook's time limit `flush()` and `shutdown()` wait for MCP events. */
export const FLUSH_MARGIN_MS = 1_000;

/** The longest delay a Node timer honours; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A usable shutdown budget: posthog-node's default for a non-number, clamped to what a timer can wait. */
export function shutdownBudget(timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) return 30_000;
  return Math.min(Math.max(0, timeoutMs), MAX_TIMER_MS);
}
