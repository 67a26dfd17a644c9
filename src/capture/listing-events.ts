import type {
  InitializeCaptureData,
  ListingCaptureData,
  ResourceCaptureData,
  ToolsListCaptureData,
} from '../capture-data';
import { type EventDraft, startDraft } from '../event-draft';
import { EVENT, PROP } from '../events';
import type { ResolvedOptions } from '../options';
import { errorMessageOf, errorTypeOf, resultText } from '../pipeline/failure';
import { isPlainObject, readProperty, stringOrUndefined as str } from '../safe-object';
import type { ConnectionSessions } from '../session/connection-sessions';
import type { JsonObject } from '../types';
import { clampDurationMs } from '../valid-time';
import { type StatedRequest, statedTimestamp } from './finished-calls';

function start(event: string, stated: StatedRequest, data: ListingLike): EventDraft {
  const draft = startDraft(event, stated.request, statedTimestamp(data), true);
  draft.extraProperties = data.properties;
  const duration = clampDurationMs(data.durationMs);
  if (duration !== undefined) draft.properties[PROP.durationMs] = duration;
  return draft;
}

type ListingLike = InitializeCaptureData | ToolsListCaptureData | ResourceCaptureData | ListingCaptureData;

/** Failure properties of a listing or read: the stated type first, then the thrown type. */
function writeFailure(
  properties: JsonObject,
  data: { isError?: unknown; error?: unknown; errorType?: unknown; response?: unknown },
): void {
  if (data.isError !== true && data.error === undefined) return;
  const type = str(data.errorType) || errorTypeOf(data.error);
  properties[PROP.isError] = true;
  properties[PROP.errorType] = type;
  properties[PROP.errorMessage] = errorMessageOf(data.error) ?? resultText(data.response) ?? type;
}

/** Fills the client in the `initialize` data (a snapshot) from its parameters where the caller did not state it. */
export function enrichInitialize(data: InitializeCaptureData): void {
  const clientInfo = readProperty(data.parameters, 'clientInfo');
  const name = str(data.clientName) ?? str(readProperty(clientInfo, 'name'));
  const version = str(data.clientVersion) ?? str(readProperty(clientInfo, 'version'));
  const protocol = str(data.protocolVersion) ?? str(readProperty(data.parameters, 'protocolVersion'));
  if (name !== undefined) data.clientName = name;
  if (version !== undefined) data.clientVersion = version;
  if (protocol !== undefined) data.protocolVersion = protocol;
}

/** Remembers the client an `initialize` announced on a one-client connection, for the calls that follow. */
export function rememberConnectionClient(connections: ConnectionSessions, data: InitializeCaptureData): void {
  const key = isPlainObject(data.session) ? readProperty(data.session, 'connection') : undefined;
  if (key === undefined || key === null) return;
  const client: { name?: string; version?: string; protocolVersion?: string } = {};
  if (data.clientName) client.name = data.clientName;
  if (data.clientVersion) client.version = data.clientVersion;
  if (data.protocolVersion) client.protocolVersion = data.protocolVersion;
  connections.setClient(key, client);
}

/** `$mcp_initialize`. */
export function initializeEvent(
  options: ResolvedOptions,
  stated: StatedRequest,
  data: InitializeCaptureData,
): EventDraft {
  const draft = start(EVENT.initialize, stated, data);
  if (options.captureParameters === true) draft.properties[PROP.parameters] = data.parameters;
  draft.properties[PROP.response] = data.response;
  return draft;
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

/**
 * `$mcp_tools_list`: the names on the page and the envelope, never the tools; given `tools`, their cost is
 * measured off the request path (`$mcp_catalog_tokens_est`, `$mcp_listed_tools`).
 */
export function toolsListEvent(stated: StatedRequest, data: ToolsListCaptureData): EventDraft {
  const draft = start(EVENT.toolsList, stated, data);
  if (Array.isArray(data.tools)) {
    draft.measure = { descriptor: undefined, input: undefined, output: undefined, catalog: data.tools };
  }
  draft.properties[PROP.listedToolNames] = Array.isArray(data.toolNames)
    ? data.toolNames
    : (namesOf(data.tools ?? readProperty(data.response, 'tools'), 'name') ?? []);
  draft.properties[PROP.response] = envelopeOf(data.response, 'tools');
  writeFailure(draft.properties, data);
  return draft;
}

/** `$mcp_resource_read` or `$mcp_prompt_get`: the name, timing and failure, never the contents. */
export function itemEvent(event: string, stated: StatedRequest, data: ResourceCaptureData): EventDraft {
  const draft = start(event, stated, data);
  draft.properties[event === EVENT.promptGet ? PROP.promptName : PROP.resourceName] =
    str(data.uri) ?? str(data.name);
  writeFailure(draft.properties, data);
  return draft;
}

/** `$mcp_resources_list` or `$mcp_prompts_list`: names and envelope, never the items. */
export function listingEvent(event: string, stated: StatedRequest, data: ListingCaptureData): EventDraft {
  const draft = start(event, stated, data);
  const isPrompts = event === EVENT.promptsList;
  const itemsKey = isPrompts ? 'prompts' : 'resources';
  draft.properties[isPrompts ? PROP.listedPromptNames : PROP.listedResourceNames] = Array.isArray(data.names)
    ? data.names
    : namesOf(readProperty(data.response, itemsKey), isPrompts ? 'name' : 'uri');
  draft.properties[PROP.response] = envelopeOf(data.response, itemsKey);
  return draft;
}
