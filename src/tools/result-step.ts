import type { EventDraft, MCPEmitter } from '../emitter';
import { EVENT, PROP, VALUE } from '../events';
import type { ResolvedOptions } from '../options';
import { errorMessageOf, errorTypeOf, isErrorResult, resultText } from '../pipeline/failure';
import { MAX_INPUT_REQUEST_METHODS } from '../pipeline/limits';
import { replaceMediaBlocks } from '../pipeline/media';
import { isPlainObject, readProperty } from '../safe-object';
import type { ConnectionSessions } from '../session/connection-sessions';
import { handleResultBlock } from '../session/conversation-handle';
import { deriveSessionId } from '../session/derive-session-id';
import type { JsonObject, ToolCallOutcome } from '../types';
import { clampDurationMs, validDate } from '../valid-time';
import { amendObject } from './amend-object';
import type { CallState, PreparedToolCall } from './call-state';
import { feedbackProperties } from './feedback-properties';
import { aliasesUsed, inputKeys } from './input-keys';
import { getMoreToolsResult, sendFeedbackResult } from './virtual-tools';

/** What the result step needs from the client. */
export interface ResultStepHost {
  options: ResolvedOptions;
  emitter: MCPEmitter;
  connections: ConnectionSessions;
}

/** Appends the minted handle as a last text block when the result can carry content; nothing else changes. */
function deliverHandle(result: unknown, handle: string | undefined): { result: unknown; delivered: boolean } {
  if (handle === undefined || !isPlainObject(result)) return { result, delivered: false };
  const block = handleResultBlock(handle);
  const amended = amendObject(result, (source) => {
    const content = readProperty(source, 'content');
    return Array.isArray(content) ? { content: [...content, block] } : undefined;
  });
  return amended === undefined ? { result, delivered: false } : { result: amended, delivered: true };
}

function durationMs(host: ResultStepHost, state: CallState, endedAt: unknown): number {
  const end = validDate(endedAt);
  if (end !== undefined) return clampDurationMs(end.getTime() - state.startedAt.getTime()) ?? 0;
  const ms = clampDurationMs(host.options.clock() - state.startedMono) ?? 0;
  return Math.round(ms * 1000) / 1000;
}

/** The call's context with the handle applied when it was delivered. */
function anchored(state: CallState, delivered: boolean): EventDraft['context'] {
  if (!delivered || state.mintedHandle === undefined) return state.context;
  return {
    ...state.context,
    sessionSource: 'handle',
    sessionId: deriveSessionId(state.mintedHandle),
    conversationId: state.mintedHandle,
  };
}

function callProperties(host: ResultStepHost, call: PreparedToolCall, state: CallState): JsonObject {
  const o = host.options;
  const aliases = o.inputAliases[state.toolName];
  const descriptor = state.descriptor;
  const category = readProperty(readProperty(descriptor, '_meta'), 'category');
  return {
    [PROP.toolName]: state.toolName,
    [PROP.resourceName]: state.toolName,
    [PROP.toolDescription]: readProperty(descriptor, 'description'),
    [PROP.toolCategory]: typeof category === 'string' ? category : undefined,
    [PROP.intent]: call.intent,
    [PROP.intentSource]: call.intent === undefined ? undefined : call.intentSource,
    [PROP.llmModel]: call.llmModel,
    [PROP.llmModelSource]: call.llmModel === undefined ? undefined : call.llmModelSource,
    [PROP.parameters]:
      o.captureParameters === true
        ? {
            request: {
              method: 'tools/call',
              params: { name: state.toolName, arguments: state.capturedArgs ?? {} },
            },
          }
        : undefined,
    [PROP.inputKeys]:
      o.captureParameters === 'keys' ? inputKeys(state.capturedArgs, state.ownership, aliases) : undefined,
    [PROP.inputAliasesUsed]:
      aliases && o.captureParameters !== false ? aliasesUsed(state.capturedArgs, aliases) : undefined,
  };
}

function draftFor(
  state: CallState,
  event: string,
  context: EventDraft['context'],
  properties: JsonObject,
): EventDraft {
  return { event, context, properties, timestamp: state.startedAt, nameIsRegistered: state.nameIsRegistered };
}

/** The `method` of each `inputRequests` value of an `input_required` result, sorted by key, at most 100. */
export function inputRequestMethods(result: unknown): string[] {
  const requests = readProperty(result, 'inputRequests');
  if (!isPlainObject(requests)) return [];
  return Object.keys(requests)
    .sort()
    .slice(0, MAX_INPUT_REQUEST_METHODS)
    .map((key) => readProperty(requests[key], 'method'))
    .filter((method): method is string => typeof method === 'string');
}

/** Emits `$mcp_input_required` for one round; the retry is a new call. */
function inputRequired(host: ResultStepHost, state: CallState, result: unknown, ms: number): void {
  const methods = inputRequestMethods(result);
  host.emitter.emit(
    draftFor(state, EVENT.inputRequired, state.context, {
      [PROP.toolName]: state.toolName,
      [PROP.durationMs]: ms,
      [PROP.inputRequestMethods]: methods,
    }),
  );
}

function completeVirtual(
  host: ResultStepHost,
  call: PreparedToolCall,
  state: CallState,
  outcome: ToolCallOutcome,
): unknown {
  const canned = state.kind === 'missing' ? getMoreToolsResult() : sendFeedbackResult();
  const { result, delivered } = deliverHandle(outcome.result ?? canned, state.mintedHandle);
  const model = {
    [PROP.llmModel]: call.llmModel,
    [PROP.llmModelSource]: call.llmModel ? call.llmModelSource : undefined,
  };
  const properties =
    state.kind === 'missing'
      ? { [PROP.intent]: call.intent, [PROP.intentSource]: call.intent ? 'context_parameter' : undefined }
      : feedbackProperties(call.feedbackReport);
  host.emitter.emit(
    draftFor(
      state,
      state.kind === 'missing' ? EVENT.missingCapability : EVENT.feedback,
      anchored(state, delivered),
      {
        [PROP.resourceName]: state.toolName,
        ...properties,
        ...model,
      },
    ),
  );
  return result;
}

/** The result step: emits the call's events and returns the result to deliver. */
export function completeCall(
  host: ResultStepHost,
  call: PreparedToolCall,
  state: CallState,
  outcome: ToolCallOutcome,
): unknown {
  if (state.kind === 'missing' || state.kind === 'feedback')
    return completeVirtual(host, call, state, outcome);
  const ms = durationMs(host, state, outcome.endedAt);
  const resultType = readProperty(outcome.result, 'resultType');
  if (resultType === 'input_required' && outcome.error === undefined) {
    inputRequired(host, state, outcome.result, ms);
    return outcome.result;
  }
  if (resultType === 'task' && outcome.error === undefined) {
    state.taskOpen = true;
    return outcome.result;
  }
  const { result, delivered } = state.taskOpen
    ? { result: outcome.result, delivered: false }
    : deliverHandle(outcome.result, state.mintedHandle);
  host.emitter.emit(toolCallDraft(host, call, state, outcome, ms, delivered));
  return outcome.result === undefined ? undefined : result;
}

function toolCallDraft(
  host: ResultStepHost,
  call: PreparedToolCall,
  state: CallState,
  outcome: ToolCallOutcome,
  ms: number,
  delivered: boolean,
): EventDraft {
  const thrown = outcome.error !== undefined;
  const failed =
    thrown || isErrorResult(outcome.result) || outcome.status === 'failed' || outcome.status === 'cancelled';
  const errorType = outcome.status === 'cancelled' ? 'cancelled' : outcome.errorType;
  const message = thrown
    ? errorMessageOf(outcome.error)
    : (resultText(outcome.result) ?? (failed ? outcome.status : undefined));
  const draft = draftFor(state, EVENT.toolCall, anchored(state, delivered), {
    ...callProperties(host, call, state),
    [PROP.isError]: failed,
    [PROP.durationMs]: ms,
    [PROP.source]: VALUE.source,
    [PROP.response]:
      host.options.captureResponse && outcome.result !== undefined
        ? replaceMediaBlocks(outcome.result)
        : undefined,
    [PROP.errorType]: failed
      ? typeof errorType === 'string' && errorType !== ''
        ? errorType
        : errorTypeOf(outcome.error)
      : undefined,
    [PROP.errorMessage]: failed ? (message ?? errorTypeOf(outcome.error)) : undefined,
    [PROP.errorStatus]: failed && typeof outcome.errorStatus === 'number' ? outcome.errorStatus : undefined,
  });
  draft.pendingIntent = state.pendingIntent;
  draft.measure = { descriptor: state.descriptor, input: state.capturedArgs, output: outcome.result };
  if (failed) draft.failure = { error: thrown ? outcome.error : undefined, synthetic: !thrown, message };
  return draft;
}
