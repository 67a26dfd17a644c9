import type { EventDraft } from '../event-draft';
import type { ResolvedOptions } from '../options';
import { anchorToHandle, type RequestFacts } from '../request/request-facts';
import { isPlainObject, readProperty } from '../safe-object';
import { handleResultBlock } from '../session/conversation-handle';
import type { ToolCallOutcome } from '../types';
import { clampDurationMs, validDate } from '../valid-time';
import { amendObject } from './amend-object';
import { feedbackEvent, inputRequiredEvent, missingCapabilityEvent } from './call-events';
import type { CallState } from './call-state';
import { toolCallEvent } from './tool-call-event';
import { getMoreToolsResult, sendFeedbackResult } from './virtual-tools';

/** Appends a minted handle as a last text block when the result can carry content; nothing else changes. */
export function deliverHandle(
  result: unknown,
  handle: string | undefined,
): { result: unknown; delivered: boolean } {
  if (handle === undefined || !isPlainObject(result)) return { result, delivered: false };
  const block = handleResultBlock(handle);
  // A plain object is copied; anything else (class getters, proxies, toJSON) is a view reading through to it.
  const amended = amendObject(result, (source) => {
    const content = readProperty(source, 'content');
    return Array.isArray(content) ? { content: [...content, block] } : undefined;
  });
  return amended === undefined ? { result, delivered: false } : { result: amended, delivered: true };
}

/** A call's duration: from an explicit end time, else from the monotonic start; never negative. */
export function measureDuration(startedAt: Date, startedMono: number, endedAt: unknown): number {
  const end = validDate(endedAt);
  if (end !== undefined) return clampDurationMs(end.getTime() - startedAt.getTime()) ?? 0;
  const ms = clampDurationMs(performance.now() - startedMono) ?? 0;
  return Math.round(ms * 1000) / 1000;
}

/** Whether a delivered minted handle now decides the call's session. */
function anchoredRequest(state: CallState, delivered: boolean): RequestFacts {
  return delivered && state.mintedHandle ? anchorToHandle(state.request, state.mintedHandle) : state.request;
}

function completeVirtual(state: CallState, outcome: ToolCallOutcome): StepResult {
  const canned = state.kind === 'missing' ? getMoreToolsResult() : sendFeedbackResult();
  const { result, delivered } = deliverHandle(outcome.result ?? canned, state.mintedHandle);
  const request = anchoredRequest(state, delivered);
  const facts = { toolName: state.toolName, model: state.model };
  const draft =
    state.kind === 'missing'
      ? missingCapabilityEvent(request, { ...facts, report: state.intent?.intent }, state.startedAt)
      : feedbackEvent(request, { ...facts, report: state.feedbackReport }, state.startedAt);
  return { result, events: [draft] };
}

/** What the result step delivers, and the events it sends. */
export interface StepResult {
  result: unknown;
  events: EventDraft[];
}

/**
 * The result step for one call: `$mcp_input_required` for an input round, nothing yet for a task handle (the
 * call stays open), else the one `$mcp_tool_call` with the handle delivered when the result can carry it.
 */
export function completeState(
  options: ResolvedOptions,
  state: CallState,
  outcome: ToolCallOutcome,
): StepResult {
  if (state.kind === 'missing' || state.kind === 'feedback') return completeVirtual(state, outcome);
  const durationMs = measureDuration(state.startedAt, state.startedMono, outcome.endedAt);
  const resultType = readProperty(outcome.result, 'resultType');
  if (resultType === 'input_required' && outcome.error === undefined) {
    const round = { toolName: state.toolName, registered: state.registered, durationMs };
    const event = inputRequiredEvent(state.request, {
      ...round,
      result: outcome.result,
      timestamp: state.startedAt,
    });
    return { result: outcome.result, events: [event] };
  }
  if (resultType === 'task' && outcome.error === undefined) {
    state.taskOpen = true;
    return { result: outcome.result, events: [] };
  }
  const { result, delivered } = state.taskOpen
    ? { result: outcome.result, delivered: false }
    : deliverHandle(outcome.result, state.mintedHandle);
  const event = toolCallEvent(options, {
    request: anchoredRequest(state, delivered),
    toolName: state.toolName,
    registered: state.registered,
    tool: state.descriptor,
    intent: state.intent,
    model: state.model,
    arguments: state.capturedArgs ?? {},
    ownership: state.ownership,
    end: outcome,
    durationMs,
    timestamp: state.startedAt,
    pendingIntent: state.pendingIntent,
  });
  return { result: outcome.result === undefined ? undefined : result, events: [event] };
}
