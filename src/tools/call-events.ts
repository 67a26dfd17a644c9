import { type EventDraft, startDraft } from '../event-draft';
import { EVENT, PROP } from '../events';
import { MAX_INPUT_REQUEST_METHODS } from '../pipeline/limits';
import type { RequestFacts } from '../request/request-facts';
import { isPlainObject, readProperty } from '../safe-object';
import type { FeedbackReport } from '../types';
import { feedbackProperties } from './feedback-properties';
import { type IntentReading, type ModelReading, writeIntentAndModel } from './intent-model';

/** `$mcp_unknown_tool`: the requested name is free text, since the server has no such tool. */
export function unknownToolEvent(request: RequestFacts, toolName: string, timestamp: Date): EventDraft {
  const draft = startDraft(EVENT.unknownTool, request, timestamp);
  draft.properties[PROP.toolName] = toolName === '' ? 'unknown' : toolName;
  draft.properties[PROP.errorOrigin] = 'caller';
  draft.nameIsRegistered = false;
  return draft;
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

/** What one `input_required` round is built from. */
export interface InputRequiredFacts {
  toolName: string;
  registered: boolean;
  durationMs: number;
  /** The `input_required` result, or the methods themselves. */
  result?: unknown;
  methods?: readonly unknown[] | undefined;
  timestamp: Date;
}

/** `$mcp_input_required` for one round; the retry is a new call. */
export function inputRequiredEvent(request: RequestFacts, facts: InputRequiredFacts): EventDraft {
  const draft = startDraft(EVENT.inputRequired, request, facts.timestamp);
  const methods = Array.isArray(facts.methods)
    ? facts.methods.filter((m): m is string => typeof m === 'string').slice(0, MAX_INPUT_REQUEST_METHODS)
    : inputRequestMethods(facts.result);
  draft.properties[PROP.toolName] = facts.toolName === '' ? 'unknown' : facts.toolName;
  draft.properties[PROP.durationMs] = facts.durationMs;
  draft.properties[PROP.inputRequestMethods] = methods;
  draft.nameIsRegistered = facts.registered;
  return draft;
}

/** `$mcp_missing_capability`: the agent's report is the intent; never the call's parameters. */
export function missingCapabilityEvent(
  request: RequestFacts,
  facts: { toolName: string; report: string | undefined; model: Partial<ModelReading> | undefined },
  timestamp: Date,
): EventDraft {
  const draft = startDraft(EVENT.missingCapability, request, timestamp);
  draft.properties[PROP.resourceName] = facts.toolName;
  const intent: IntentReading | undefined =
    facts.report === undefined ? undefined : { intent: facts.report, intentSource: 'context_parameter' };
  writeIntentAndModel(draft.properties, intent, facts.model);
  return draft;
}

/** `$mcp_feedback` from a parsed report; never the call's parameters. */
export function feedbackEvent(
  request: RequestFacts,
  facts: { toolName: string; report: FeedbackReport | undefined; model: Partial<ModelReading> | undefined },
  timestamp: Date,
): EventDraft {
  const draft = startDraft(EVENT.feedback, request, timestamp);
  draft.properties[PROP.resourceName] = facts.toolName;
  Object.assign(draft.properties, feedbackProperties(facts.report));
  writeIntentAndModel(draft.properties, undefined, facts.model);
  return draft;
}
