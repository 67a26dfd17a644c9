import { PROP } from './events';
import { describeError } from './logger';
import type { ResolvedOptions } from './options';
import { sanitizeProperty } from './pipeline/build-properties';
import { acceptHookResult } from './pipeline/hook-result';
import { settleHook } from './settle-hook';
import { isBlankIntent } from './tools/intent-model';
import type { MCPEvent } from './types';

/**
 * Calls the host's `beforeSend` and awaits `intentFallback` answers, each within `hookTimeoutMs`: a hook
 * that throws, rejects or never settles costs only its own event, and is reported through the logger.
 */
export class HostHooks {
  readonly #options: ResolvedOptions;
  readonly #required: ReadonlySet<string>;
  readonly #warned = new Set<string>();

  constructor(options: ResolvedOptions, required: ReadonlySet<string>) {
    this.#options = options;
    this.#required = required;
  }

  /** Whether events wait on `beforeSend`. */
  get hasBeforeSend(): boolean {
    return this.#options.beforeSend !== undefined;
  }

  /** The event `beforeSend` keeps (checked and copied), or `undefined` when it drops, throws or times out. */
  async beforeSend(event: MCPEvent): Promise<MCPEvent | undefined> {
    const o = this.#options;
    const hook = o.beforeSend;
    if (!hook) return event;
    let returned: unknown;
    try {
      returned = hook(event);
    } catch (error) {
      return this.#dropThrown(event, error);
    }
    const outcome = await settleHook(returned, o.hookTimeoutMs);
    if (outcome.status === 'timeout') {
      // Dropped, not sent unedited: the hook may exist to redact.
      this.warnOnce(
        'beforeSend',
        `beforeSend did not settle within ${o.hookTimeoutMs} ms; such events are dropped`,
      );
      return undefined;
    }
    if (outcome.status === 'error') return this.#dropThrown(event, outcome.error);
    try {
      // The hook is host code: whatever it returns is checked and copied before posthog-node sees it.
      return acceptHookResult(event, outcome.value, this.#required);
    } catch (error) {
      return this.#dropThrown(event, error);
    }
  }

  /** The sanitized intent an `intentFallback` promise gave, or `undefined` (blank, failed or too slow). */
  async inferIntent(pending: Promise<unknown>): Promise<unknown> {
    const limitMs = this.#options.hookTimeoutMs;
    const outcome = await settleHook(pending, limitMs);
    if (outcome.status === 'timeout') {
      this.warnOnce(
        'intentFallback',
        `intentFallback did not settle within ${limitMs} ms; such events go without an inferred intent`,
      );
      return undefined;
    }
    const inferred = outcome.status === 'value' ? outcome.value : undefined;
    if (typeof inferred !== 'string' || isBlankIntent(inferred)) return undefined;
    return sanitizeProperty(PROP.intent, inferred, true);
  }

  /** Logs a warning once per client and key, so a persistent fault does not flood the logger. */
  warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#options.logger.warn(`${message} (logged once)`);
  }

  #dropThrown(event: MCPEvent, error: unknown): undefined {
    this.#options.logger.warn(
      `beforeSend threw for ${event.event}; the event was dropped: ${describeError(error)}`,
    );
    return undefined;
  }
}
