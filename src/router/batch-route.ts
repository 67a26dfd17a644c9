import { readProperty } from '../safe-object';
import { type Awaitable, isArray, isPromiseLike, settle } from './json-rpc';
import type { MessageStep } from './message-step';
import { createScope, type MessageContext, type RouterState, withIdentity } from './request-scope';

/** Builds the step of one message of the batch. */
type Plan<C> = (context: MessageContext<C>, message: unknown) => MessageStep;

const idKey = (id: unknown): string | undefined =>
  typeof id === 'string' || typeof id === 'number' ? `${typeof id}:${id}` : undefined;

/** The steps waiting for an answer, by request id, in batch order (a repeated id is matched in turn). */
function waitingById(steps: readonly MessageStep[]): Map<string, MessageStep[]> {
  const waiting = new Map<string, MessageStep[]>();
  for (const step of steps) {
    const key = idKey(step.id);
    if (key === undefined) continue;
    const queue = waiting.get(key);
    if (queue) queue.push(step);
    else waiting.set(key, [step]);
  }
  return waiting;
}

function gather(entries: Awaitable<unknown>[]): Awaitable<unknown> {
  const present = (list: unknown[]) => list.filter((entry) => entry !== undefined && entry !== null);
  return entries.some(isPromiseLike) ? Promise.all(entries).then(present) : present(entries);
}

/** Completes each step from the host's array answer, by id; steps it did not answer end without an event. */
function mergeAnswers(
  answer: readonly unknown[],
  hostSteps: readonly MessageStep[],
  virtualSteps: readonly MessageStep[],
): Awaitable<unknown> {
  const waiting = waitingById(hostSteps);
  const entries: Awaitable<unknown>[] = answer.map((entry) => {
    const key = idKey(readProperty(entry, 'id'));
    const step = key === undefined ? undefined : waiting.get(key)?.shift();
    return step ? step.finish(entry) : entry;
  });
  for (const queue of waiting.values()) for (const step of queue) step.discard();
  for (const step of virtualSteps) entries.push(step.answer?.());
  return gather(entries);
}

/** What the host answered for the whole batch, turned into the answer to send. */
function finishBatch(
  answer: unknown,
  hostSteps: readonly MessageStep[],
  virtualSteps: readonly MessageStep[],
): Awaitable<unknown> {
  if (isArray(answer)) return mergeAnswers(answer, hostSteps, virtualSteps);
  const onlyNotifications = hostSteps.every((step) => step.id === undefined);
  if ((answer === undefined || answer === null) && onlyNotifications && virtualSteps.length > 0) {
    return mergeAnswers([], hostSteps, virtualSteps);
  }
  // Not a batch answer (a host refusing batches answers with one error): returned as is, nothing captured.
  for (const step of hostSteps) step.discard();
  return answer;
}

function runBatch<C>(
  { state, scope }: MessageContext<C>,
  batch: readonly unknown[],
  steps: readonly MessageStep[],
): Awaitable<unknown> {
  const hostSteps = steps.filter((step) => !step.answer);
  const virtualSteps = steps.filter((step) => step.answer);
  if (hostSteps.length === 0) return mergeAnswers([], hostSteps, virtualSteps);
  const unchanged =
    virtualSteps.length === 0 && steps.every((step, index) => step.forwarded === batch[index]);
  const forwarded = unchanged ? batch : hostSteps.map((step) => step.forwarded);
  return settle(
    () => state.route(forwarded, scope.context),
    (answer) => finishBatch(answer, hostSteps, virtualSteps),
    (error) => {
      for (const step of hostSteps) step.fail(error);
    },
  );
}

/**
 * A batch is handed to the host as a batch: each message prepared (injected arguments stripped), virtual tool
 * calls taken out and answered by the middleware, the host's array answer matched back to each call by id.
 * When the host answers with anything but an array (a host that refuses batches), that answer is returned
 * unchanged and no call is captured. An empty batch goes to the host untouched.
 */
export function routeBatch<C>(
  state: RouterState<C>,
  batch: { messages: readonly unknown[]; context: C },
  plan: Plan<C>,
): Awaitable<unknown> {
  const { messages, context } = batch;
  if (messages.length === 0) return state.route(messages, context);
  const scope = createScope(state, context);
  return withIdentity(scope, (identity) => {
    const ctx: MessageContext<C> = { state, scope, identity };
    return runBatch(
      ctx,
      messages,
      messages.map((message) => plan(ctx, message)),
    );
  });
}
