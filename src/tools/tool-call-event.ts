import { type EventDraft, startDraft } from '../event-draft';
import { EVENT, PROP, VALUE } from '../events';
import type { ResolvedOptions } from '../options';
import { errorMessageOf, errorTypeOf, isErrorResult, resultText } from '../pipeline/failure';
import { replaceMediaBlocks } from '../pipeline/media';
import type { RequestFacts } from '../request/request-facts';
import { readProperty } from '../safe-object';
import type { JsonObject } from '../types';
import { JSON_RPC_ERROR_TYPE, originOfCode, readJsonRpcError } from './error-origin';
import { aliasesUsed, inputKeys } from './input-keys';
import { type IntentReading, type ModelReading, writeIntentAndModel } from './intent-model';
import type { Ownership } from './ownership';

/** How a tool call ended, as either path knows it. */
export interface ToolCallEnd {
  result?: unknown;
  /** The thrown value; an `isError` result passed here counts as a result, not a throw. */
  error?: unknown;
  errorType?: unknown;
  errorStatus?: unknown;
  /** An explicit verdict; otherwise a throw, an `isError` result or a failed status means failure. */
  isError?: boolean | undefined;
  status?: unknown;
  /** The JSON-RPC error the host answered with instead of a result. */
  jsonRpcError?: unknown;
}

/** Everything `$mcp_tool_call` (and its `$exception` sibling) is built from. */
export interface ToolCallFacts {
  request: RequestFacts;
  /** True when `request` was resolved for this event alone (a finished call): its properties are taken, not copied. */
  ownsRequest?: boolean;
  toolName: string;
  /** True when the name is known to be a registered tool; otherwise it is treated as free text. */
  registered: boolean;
  /** The tool's descriptor as the host advertises it, before injection. */
  tool: object | undefined;
  /** A description or category stated by the caller; wins over the descriptor's. */
  description?: unknown;
  category?: unknown;
  intent: Partial<IntentReading> | undefined;
  model: Partial<ModelReading> | undefined;
  /** The tool's own arguments (injected ones removed), captured as the `tools/call` request. */
  arguments?: unknown;
  /** Parameters stated by the caller, captured as given when there are no `arguments`. */
  parameters?: unknown;
  ownership?: Ownership | undefined;
  end: ToolCallEnd;
  durationMs: number;
  timestamp: Date;
  pendingIntent?: Promise<unknown> | undefined;
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** A tool result handed over as the error: it has content, so it is not a throw. */
const isResultLike = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && readProperty(value, 'content') !== undefined;

function writeFailure(properties: JsonObject, draft: EventDraft, end: ToolCallEnd): void {
  const { error, result, status } = end;
  const rpc = readJsonRpcError(end.jsonRpcError);
  const thrown = error !== undefined && !isResultLike(error);
  const failed =
    (typeof end.isError === 'boolean' ? end.isError : undefined) ??
    (rpc !== undefined ||
      error !== undefined ||
      isErrorResult(result) ||
      status === 'failed' ||
      status === 'cancelled');
  properties[PROP.isError] = failed;
  if (!failed) return;
  const stated = status === 'cancelled' ? 'cancelled' : end.errorType;
  const fallbackType = rpc && !thrown ? JSON_RPC_ERROR_TYPE : errorTypeOf(error);
  const type = typeof stated === 'string' && stated !== '' ? stated : fallbackType;
  const message =
    rpc?.message ??
    errorMessageOf(error) ??
    resultText(result) ??
    (typeof status === 'string' ? status : undefined) ??
    type;
  properties[PROP.errorType] = type;
  properties[PROP.errorMessage] = message;
  properties[PROP.errorOrigin] = rpc ? originOfCode(rpc.code) : type === 'cancelled' ? 'caller' : 'tool';
  if (rpc) properties[PROP.jsonRpcErrorCode] = rpc.code;
  if (isFiniteNumber(end.errorStatus)) properties[PROP.errorStatus] = end.errorStatus;
  draft.failure = {
    error: thrown ? error : undefined,
    synthetic: !thrown,
    message,
    type: rpc && !thrown ? JSON_RPC_ERROR_TYPE : undefined,
  };
}

function writeTool(properties: JsonObject, facts: ToolCallFacts): void {
  const { tool } = facts;
  properties[PROP.toolName] = facts.toolName;
  properties[PROP.resourceName] = facts.toolName;
  properties[PROP.toolDescription] = facts.description ?? readProperty(tool, 'description');
  const category = facts.category ?? readProperty(readProperty(tool, '_meta'), 'category');
  properties[PROP.toolCategory] = typeof category === 'string' ? category : undefined;
}

function writeArguments(properties: JsonObject, options: ResolvedOptions, facts: ToolCallFacts): void {
  const mode = options.captureParameters;
  const args = facts.arguments;
  if (mode === true) {
    properties[PROP.parameters] =
      args !== undefined
        ? { request: { method: 'tools/call', params: { name: facts.toolName, arguments: args } } }
        : facts.parameters;
  }
  if (args === undefined) return;
  const aliases = options.inputAliases[facts.toolName];
  if (mode === 'keys') properties[PROP.inputKeys] = inputKeys(args, facts.ownership, aliases);
  if (aliases && mode !== false) properties[PROP.inputAliasesUsed] = aliasesUsed(args, aliases);
}

/** Builds `$mcp_tool_call`: the one builder behind the result step and `captureToolCall`. */
export function toolCallEvent(options: ResolvedOptions, facts: ToolCallFacts): EventDraft {
  const draft = startDraft(EVENT.toolCall, facts.request, facts.timestamp, facts.ownsRequest === true);
  const properties = draft.properties;
  draft.nameIsRegistered = facts.registered;
  writeTool(properties, facts);
  writeIntentAndModel(properties, facts.intent, facts.model);
  writeArguments(properties, options, facts);
  const result = facts.end.result;
  if (options.captureResponse && result !== undefined) properties[PROP.response] = replaceMediaBlocks(result);
  properties[PROP.durationMs] = facts.durationMs;
  properties[PROP.source] = VALUE.source;
  writeFailure(properties, draft, facts.end);
  draft.pendingIntent = facts.pendingIntent;
  draft.measure = { descriptor: facts.tool, input: facts.arguments ?? facts.parameters, output: result };
  return draft;
}
