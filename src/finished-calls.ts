import type { EventDraft } from './emitter';
import { EVENT, PROP, VALUE } from './events';
import type { ResolvedOptions } from './options';
import { errorMessageOf, errorTypeOf, resultText } from './pipeline/failure';
import { MAX_INPUT_REQUEST_METHODS } from './pipeline/limits';
import { replaceMediaBlocks } from './pipeline/media';
import {
  freshSessionId,
  normalizeIdentity,
  type RequestContext,
  readMeta,
  resolveClient,
  resolveTransport,
  sessionIdFrom,
} from './request-context';
import { isPlainObject, readProperty } from './safe-object';
import type { ConnectionSessions } from './session/connection-sessions';
import { normalizeConversationHandle } from './session/conversation-handle';
import { deriveSessionId } from './session/derive-session-id';
import { decodeSessionToken } from './session/session-token';
import { feedbackProperties } from './tools/feedback-properties';
import { inputRequestMethods } from './tools/result-step';
import type {
  CaptureCommon,
  FeedbackCaptureData,
  InitializeCaptureData,
  InputRequiredCaptureData,
  JsonObject,
  ListingCaptureData,
  MissingCapabilityCaptureData,
  ResourceCaptureData,
  ToolCallCaptureData,
  ToolsListCaptureData,
  UnknownToolCaptureData,
} from './types';
import { clampDurationMs, validDate } from './valid-time';

/** What the finished-call methods need from the client. */
export interface FinishedCallHost {
  options: ResolvedOptions;
  connections: ConnectionSessions;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : undefined;

/** Resolves session, identity and client for a finished call's data; every field is read without throwing. */
export function contextOf(host: FinishedCallHost, data: CaptureCommon): RequestContext {
  const field = (key: keyof CaptureCommon): unknown => readProperty(data, key);
  const handle = host.options.anchoring.enabled
    ? normalizeConversationHandle(field('conversationId'))
    : undefined;
  const given = str(field('sessionId')) || undefined;
  const token = given === undefined ? undefined : (decodeSessionToken(given) ?? undefined);
  const transport = resolveTransport(field('session') as CaptureCommon['session'], host.connections, false);
  // A caller's id (or a token's) is used as given only when it is a plain id; anything else is derived.
  const passed = given === undefined ? undefined : sessionIdFrom(token?.sid ?? given);
  const sessionId = handle ? deriveSessionId(handle) : (passed ?? transport.sessionId ?? freshSessionId());
  const distinctId = str(field('distinctId'));
  const identity =
    normalizeIdentity(field('identity')) ??
    normalizeIdentity(
      distinctId ? { distinctId, properties: field('setProperties'), groups: field('groups') } : undefined,
    );
  const connection =
    transport.connectionKey === undefined ? undefined : host.connections.getClient(transport.connectionKey);
  const explicit = {
    name: str(field('clientName')),
    version: str(field('clientVersion')),
    protocolVersion: str(field('protocolVersion')),
    userAgent: str(field('clientUserAgent')),
    vendor: str(field('vendorClient')),
  };
  return {
    sessionId,
    sessionSource: handle ? 'handle' : (passed ?? transport.sessionId) ? 'transport' : 'fresh',
    conversationId: handle,
    identity,
    client: resolveClient({
      explicit,
      meta: readMeta(field('meta')),
      headers: field('headers') as CaptureCommon['headers'],
      token: token ?? transport.token,
      connection,
    }),
    serverName: str(field('serverName')),
    serverVersion: str(field('serverVersion')),
  };
}

/** When the call started: a valid `timestamp`, else now less the (clamped) duration. */
function timestampOf(data: CaptureCommon & { durationMs?: number }): Date {
  const given = validDate(readProperty(data, 'timestamp'));
  if (given !== undefined) return given;
  return new Date(Date.now() - (clampDurationMs(readProperty(data, 'durationMs')) ?? 0));
}

function draft(
  host: FinishedCallHost,
  event: string,
  data: CaptureCommon,
  properties: JsonObject,
  registered = true,
): EventDraft {
  return {
    event,
    context: contextOf(host, data),
    properties,
    timestamp: timestampOf(data),
    nameIsRegistered: registered,
    extraProperties: data.properties,
  };
}

/** Properties of a failure: explicit type first, then the thrown type; message from the error or the result. */
function failureProperties(data: {
  isError?: boolean;
  error?: unknown;
  errorType?: string;
  response?: unknown;
}): JsonObject {
  const failed = data.isError === true || (data.isError === undefined && data.error !== undefined);
  if (!failed) return { [PROP.isError]: false };
  const type = str(data.errorType) || errorTypeOf(data.error);
  return {
    [PROP.isError]: true,
    [PROP.errorType]: type,
    [PROP.errorMessage]: errorMessageOf(data.error) ?? resultText(data.response) ?? type,
  };
}

/** `$mcp_tool_call` from a finished call's fields. */
export function toolCallDraft(host: FinishedCallHost, data: ToolCallCaptureData): EventDraft {
  const o = host.options;
  const failure = failureProperties(data);
  const d = draft(
    host,
    EVENT.toolCall,
    data,
    {
      [PROP.toolName]: str(data.toolName) || 'unknown',
      [PROP.resourceName]: str(data.toolName),
      [PROP.toolDescription]: data.toolDescription,
      [PROP.toolCategory]: data.category,
      [PROP.intent]: data.intent,
      [PROP.intentSource]: data.intent ? (data.intentSource ?? 'context_parameter') : undefined,
      [PROP.llmModel]: data.llmModel,
      [PROP.llmModelSource]: data.llmModel ? (data.llmModelSource ?? 'self_reported') : undefined,
      [PROP.parameters]: o.captureParameters === true ? data.parameters : undefined,
      [PROP.response]:
        o.captureResponse && data.response !== undefined ? replaceMediaBlocks(data.response) : undefined,
      [PROP.durationMs]: clampDurationMs(data.durationMs) ?? 0,
      [PROP.source]: VALUE.source,
      ...failure,
      [PROP.errorStatus]: failure[PROP.isError] ? num(data.errorStatus) : undefined,
    },
    false,
  );
  if (failure[PROP.isError]) {
    const thrown =
      data.error !== undefined &&
      (typeof data.error !== 'object' || readProperty(data.error, 'content') === undefined);
    d.failure = {
      error: thrown ? data.error : undefined,
      synthetic: !thrown,
      message: str(failure[PROP.errorMessage]),
    };
  }
  return d;
}

/** `$mcp_initialize`; on a connection, also remembers the client for later calls. */
export function initializeDraft(host: FinishedCallHost, data: InitializeCaptureData): EventDraft {
  const clientInfo = readProperty(data.parameters, 'clientInfo');
  const enriched: InitializeCaptureData = {
    ...data,
    clientName: str(data.clientName) ?? str(readProperty(clientInfo, 'name')),
    clientVersion: str(data.clientVersion) ?? str(readProperty(clientInfo, 'version')),
    protocolVersion: str(data.protocolVersion) ?? str(readProperty(data.parameters, 'protocolVersion')),
  } as InitializeCaptureData;
  const key = isPlainObject(data.session) ? readProperty(data.session, 'connection') : undefined;
  if (key !== undefined && key !== null) {
    const client: { name?: string; version?: string; protocolVersion?: string } = {};
    if (enriched.clientName) client.name = enriched.clientName;
    if (enriched.clientVersion) client.version = enriched.clientVersion;
    if (enriched.protocolVersion) client.protocolVersion = enriched.protocolVersion;
    host.connections.setClient(key, client);
  }
  return draft(host, EVENT.initialize, enriched, {
    [PROP.durationMs]: clampDurationMs(data.durationMs),
    [PROP.parameters]: host.options.captureParameters === true ? data.parameters : undefined,
    [PROP.response]: data.response,
  });
}

/** A listing result's envelope: everything but the listed items; `undefined` when empty. */
export function envelopeOf(response: unknown, itemsKey: string): JsonObject | undefined {
  if (!isPlainObject(response)) return undefined;
  const envelope: JsonObject = {};
  for (const key of Object.keys(response)) if (key !== itemsKey) envelope[key] = response[key];
  return Object.keys(envelope).length > 0 ? envelope : undefined;
}

function namesOf(items: unknown, key: string): string[] | undefined {
  if (!Array.isArray(items)) return undefined;
  return items
    .map((item) => str(readProperty(item, key)))
    .filter((name): name is string => name !== undefined);
}

/** `$mcp_tools_list`: the names on the page and the envelope, never the tools. */
export function toolsListDraft(host: FinishedCallHost, data: ToolsListCaptureData): EventDraft {
  const names = Array.isArray(data.toolNames)
    ? data.toolNames
    : (namesOf(data.tools ?? readProperty(data.response, 'tools'), 'name') ?? []);
  return draft(host, EVENT.toolsList, data, {
    [PROP.listedToolNames]: names,
    [PROP.response]: envelopeOf(data.response, 'tools'),
    [PROP.durationMs]: clampDurationMs(data.durationMs),
    ...(data.isError || data.error !== undefined ? failureProperties(data) : {}),
  });
}

/** `$mcp_missing_capability` from a report. */
export function missingCapabilityDraft(
  host: FinishedCallHost,
  data: MissingCapabilityCaptureData,
): EventDraft {
  const intent = str(data.context) ?? str(data.report);
  return draft(host, EVENT.missingCapability, data, {
    [PROP.resourceName]: host.options.missingToolName,
    [PROP.intent]: intent,
    [PROP.intentSource]: intent ? 'context_parameter' : undefined,
    [PROP.llmModel]: data.llmModel,
    [PROP.llmModelSource]: data.llmModel ? (data.llmModelSource ?? 'self_reported') : undefined,
  });
}

/** `$mcp_feedback` from a parsed report. */
export function feedbackDraft(host: FinishedCallHost, data: FeedbackCaptureData): EventDraft {
  return draft(host, EVENT.feedback, data, {
    [PROP.resourceName]: host.options.feedback?.toolName ?? 'send_feedback',
    ...feedbackProperties(isPlainObject(data.report) ? data.report : undefined),
    [PROP.llmModel]: data.llmModel,
    [PROP.llmModelSource]: data.llmModel ? (data.llmModelSource ?? 'self_reported') : undefined,
  });
}

/** `$mcp_unknown_tool` with the requested name (free text: it is not a registered tool). */
export function unknownToolDraft(host: FinishedCallHost, data: UnknownToolCaptureData): EventDraft {
  return draft(host, EVENT.unknownTool, data, { [PROP.toolName]: str(data.toolName) || 'unknown' }, false);
}

/** `$mcp_input_required` for one round. */
export function inputRequiredDraft(host: FinishedCallHost, data: InputRequiredCaptureData): EventDraft {
  const methods = Array.isArray(data.inputRequestMethods)
    ? data.inputRequestMethods
    : inputRequestMethods(data.result);
  return draft(host, EVENT.inputRequired, data, {
    [PROP.toolName]: str(data.toolName) || 'unknown',
    [PROP.durationMs]: clampDurationMs(data.durationMs) ?? 0,
    [PROP.inputRequestMethods]: methods
      .filter((m): m is string => typeof m === 'string')
      .slice(0, MAX_INPUT_REQUEST_METHODS),
  });
}

/** `$mcp_resource_read` or `$mcp_prompt_get`: the name, timing and failure, never the contents. */
export function itemDraft(host: FinishedCallHost, event: string, data: ResourceCaptureData): EventDraft {
  const name = str(data.uri) ?? str(data.name);
  return draft(host, event, data, {
    [event === EVENT.promptGet ? PROP.promptName : PROP.resourceName]: name,
    [PROP.durationMs]: clampDurationMs(data.durationMs),
    ...(data.isError || data.error !== undefined ? failureProperties(data) : {}),
  });
}

/** `$mcp_resources_list` or `$mcp_prompts_list`: names and envelope, never the items. */
export function listingDraft(host: FinishedCallHost, event: string, data: ListingCaptureData): EventDraft {
  const isPrompts = event === EVENT.promptsList;
  const itemsKey = isPrompts ? 'prompts' : 'resources';
  const names = Array.isArray(data.names)
    ? data.names
    : namesOf(readProperty(data.response, itemsKey), isPrompts ? 'name' : 'uri');
  return draft(host, event, data, {
    [isPrompts ? PROP.listedPromptNames : PROP.listedResourceNames]: names,
    [PROP.response]: envelopeOf(data.response, itemsKey),
    [PROP.durationMs]: clampDurationMs(data.durationMs),
  });
}
