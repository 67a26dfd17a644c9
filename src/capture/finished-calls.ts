import type {
  CaptureCommon,
  FeedbackCaptureData,
  InputRequiredCaptureData,
  MissingCapabilityCaptureData,
  ToolCallCaptureData,
  UnknownToolCaptureData,
} from '../capture-data';
import type { EventDraft } from '../event-draft';
import type { ResolvedOptions } from '../options';
import type { MetaFields } from '../request/meta';
import type { RequestFacts } from '../request/request-facts';
import { isPlainObject, readProperty, stringOrUndefined as str } from '../safe-object';
import {
  feedbackEvent,
  inputRequiredEvent,
  missingCapabilityEvent,
  unknownToolEvent,
} from '../tools/call-events';
import { readIntent, readModel } from '../tools/intent-model';
import { enabledArguments, ownershipOf } from '../tools/ownership';
import { toolCallEvent } from '../tools/tool-call-event';
import { clampDurationMs, validDate } from '../valid-time';

/** A finished call's request, resolved as the call step would have, for its one event (which may take it). */
export interface StatedRequest {
  request: RequestFacts;
  meta: MetaFields;
}

/** When the call started: a valid `timestamp`, else now less the (clamped) duration. */
export function statedTimestamp(data: CaptureCommon & { durationMs?: unknown }): Date {
  const given = validDate(readProperty(data, 'timestamp'));
  if (given !== undefined) return given;
  return new Date(Date.now() - (clampDurationMs(readProperty(data, 'durationMs')) ?? 0));
}

function withExtras(draft: EventDraft, data: CaptureCommon): EventDraft {
  draft.extraProperties = data.properties;
  return draft;
}

/** `$mcp_tool_call` from a finished call: the same builder, and the same reading of `_meta`, as the steps. */
export function finishedToolCall(
  options: ResolvedOptions,
  stated: StatedRequest,
  data: ToolCallCaptureData,
): EventDraft {
  const tool = isPlainObject(data.tool) ? data.tool : undefined;
  const schema = readProperty(tool, 'inputSchema');
  const draft = toolCallEvent(options, {
    request: stated.request,
    ownsRequest: true,
    toolName: str(data.toolName) || 'unknown',
    registered: tool !== undefined,
    tool,
    description: str(data.toolDescription),
    category: str(data.category),
    intent: readIntent(stated.meta, undefined, { intent: data.intent, source: data.intentSource }),
    model: options.captureModel.enabled
      ? readModel(stated.meta, undefined, { model: data.llmModel, source: data.llmModelSource })
      : undefined,
    arguments: data.arguments,
    parameters: data.parameters,
    ownership: tool ? ownershipOf(schema, enabledArguments(options)) : undefined,
    end: {
      result: data.response,
      error: data.error,
      errorType: data.errorType,
      errorStatus: data.errorStatus,
      isError: typeof data.isError === 'boolean' ? data.isError : undefined,
      jsonRpcError: data.jsonRpcError,
    },
    durationMs: clampDurationMs(data.durationMs) ?? 0,
    timestamp: statedTimestamp(data),
  });
  return withExtras(draft, data);
}

/** `$mcp_missing_capability` from a report. */
export function finishedMissingCapability(
  options: ResolvedOptions,
  stated: StatedRequest,
  data: MissingCapabilityCaptureData,
): EventDraft {
  const report = str(data.context);
  const draft = missingCapabilityEvent(
    stated.request,
    {
      toolName: options.missingCapabilityToolName,
      report: report?.trim() === '' ? undefined : report,
      model: readModel(stated.meta, undefined, { model: data.llmModel, source: data.llmModelSource }),
    },
    statedTimestamp(data),
  );
  return withExtras(draft, data);
}

/** `$mcp_feedback` from a parsed report. */
export function finishedFeedback(
  options: ResolvedOptions,
  stated: StatedRequest,
  data: FeedbackCaptureData,
): EventDraft {
  const draft = feedbackEvent(
    stated.request,
    {
      toolName: options.collectFeedback?.toolName ?? 'send_feedback',
      report: isPlainObject(data.report) ? data.report : undefined,
      model: readModel(stated.meta, undefined, { model: data.llmModel, source: data.llmModelSource }),
    },
    statedTimestamp(data),
  );
  return withExtras(draft, data);
}

/** `$mcp_unknown_tool` with the requested name. */
export function finishedUnknownTool(stated: StatedRequest, data: UnknownToolCaptureData): EventDraft {
  return withExtras(unknownToolEvent(stated.request, str(data.toolName) ?? '', statedTimestamp(data)), data);
}

/** `$mcp_input_required` for one round. */
export function finishedInputRequired(stated: StatedRequest, data: InputRequiredCaptureData): EventDraft {
  const draft = inputRequiredEvent(stated.request, {
    toolName: str(data.toolName) ?? '',
    registered: true,
    durationMs: clampDurationMs(data.durationMs) ?? 0,
    result: data.result,
    methods: Array.isArray(data.inputRequestMethods) ? data.inputRequestMethods : undefined,
    timestamp: statedTimestamp(data),
  });
  return withExtras(draft, data);
}
