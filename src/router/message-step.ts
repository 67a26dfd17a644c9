import { type Awaitable, type RequestId, settle } from './json-rpc';
import type { RequestScope, RouterState } from './request-scope';

/**
 * One message's handling around the host: what the host is given, and what happens with its answer. A batch
 * hands every step's `forwarded` message to the host at once and matches the answers back by id.
 */
export interface MessageStep {
  /** The message for the host: the original object, or a copy with the injected arguments stripped. */
  readonly forwarded: unknown;
  /** The request id the host's answer carries; `undefined` for a notification or a malformed message. */
  readonly id: RequestId | undefined;
  /** Set for a virtual tool: the middleware's own answer, given instead of asking the host. */
  readonly answer?: () => unknown;
  /** Captures from the host's answer for this message and returns the answer to send. */
  finish(response: unknown): Awaitable<unknown>;
  /** The host threw or rejected: records the failure where one is recorded. */
  fail(error: unknown): void;
  /** The host gave no answer for this message (a refused batch, a missing entry): ends it without an event. */
  discard(): void;
}

/** A step for a message the middleware does not instrument: handed over and answered unchanged. */
export function passThrough(message: unknown, id?: RequestId): MessageStep {
  return {
    forwarded: message,
    id,
    finish: (response) => response,
    fail: () => undefined,
    discard: () => undefined,
  };
}

/** Runs one step on its own: the virtual tool's answer, or the host followed by the step's capture. */
export function runStep<C>(
  state: RouterState<C>,
  scope: RequestScope<C>,
  step: MessageStep,
): Awaitable<unknown> {
  if (step.answer) return step.answer();
  return settle(
    () => state.route(step.forwarded, scope.context),
    (response) => step.finish(response),
    (error) => step.fail(error),
  );
}
