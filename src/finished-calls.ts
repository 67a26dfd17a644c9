import type { EventDraft } from './emitter';
import { EVENT, PROP, VALUE } from './events';
import type { ResolvedOptions } from './options';
import { errorMessageOf, errorTypeOf, resultText } from './pipeline/failure';
import { MAX_INPUT_REQUEST_METHODS, MAX_NAME_CHARS } from './pipeline/limits';
import { replaceMediaBlocks } from './pipeline/media';
import { redactSecrets } from './pipeline/redact';
import {
  freshSessionId,
  normalizeIdentity,
  type RequestContext,
  readMeta,
  resolveClient,
  resolveTransport,
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

/** What the finished-call methods need from the client. */
export interface FinishedCallHost {
  options: ResolvedOptions;
  connections: ConnectionSessions;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : undefined;

/** Resolves session, identity and client for a finished call's data. */
export function contextOf(host: FinishedCallHost, data: CaptureCommon): RequestContext {
  const handle = host.options.anchoring.enabled
    ? normalizeConversationHandle(data.conversationId)
    : undefined;
  const given = str(data.sessionId) || undefined;
  const token = given === undefined ? undefined : (decodeSessionToken(given) ?? undefined);
  const transport = resolveTransport(data.session, host.connections, false);
  // A caller's id is used as given, except one too long for a session property or shaped like a credential
  // (a JWT or API key used as a session id), which is derived to a fixed-size hash.
  const passed =
    given !== undefined && (given.length > MAX_NAME_CHARS || redactSecrets(given) !== given)
      ? deriveSessionId(given)
      : given;
  const sessionId = handle
    ? deriveSessionId(handle)
    : (token?.sid ?? passed ?? transport.sessionId ?? freshSessionId());
  const distinctId = str(data.distinctId);
  const identity =
    normalizeIdentity(data.identity) ??
    normalizeIdentity(
      distinctId ? { distinctId, properties: data.setProperties, groups: data.groups } : undefined,
    );
  const connection =
    transport.connectionKey === undefined ? undefined : host.connections.getClient(transport.connectionKey);
  const explicit = {
    name: str(data.clientName),
    version: str(data.clientVersion),
    protocolVersion: str(data.protocolVersion),
    userAgent: str(data.clientUserAgent),
    vendor: str(data.vendorClient),
  };
  return {
    sessionId,
    sessionSource: handle ? 'handle' : (token?.sid ?? given ?? transport.sessionId) ? 'transport' : 'fresh',
    conversationId: handle,
    identity,
    client: resolveClient({
      explicit,
      meta: readMeta(data.meta),
      headers: data.headers,
      token: token ?? transport.token,
      connection,
    }),
    serverName: str(data.serverName),
    serverVersion: str(data.serverVersion),
  };
}

function timestampOf(data: CaptureCommon & { durationMs?: number }): Date {
  if (data.timestamp instanceof Date && !Number.isNaN(data.timestamp.getTime())) return data.timestamp;
  return new Date(Date.now() - (num(data.durationMs) ?? 0));
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
      [PROP.durationMs]: num(data.durationMs) ?? 0,
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
    [PROP.durationMs]: num(data.durationMs),
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
    [PROP.durationMs]: num(data.durationMs),
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
    [PROP.durationMs]: num(data.durationMs) ?? 0,
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
    [PROP.durationMs]: num(data.durationMs),
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
    [PROP.durationMs]: num(data.durationMs),
  });
}
