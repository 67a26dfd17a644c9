import { INJECTED, type ResolvedOptions } from '../options';
import { MARKER, sanitizeFreeText, sanitizeName } from '../pipeline/sanitize';
import {
  freshSessionId,
  type MetaFields,
  normalizeIdentity,
  readMeta,
  resolveClient,
  resolveTransport,
} from '../request-context';
import { copyMembers, isPlainObject, readProperty } from '../safe-object';
import type { ConnectionSessions } from '../session/connection-sessions';
import { mintConversationHandle, normalizeConversationHandle } from '../session/conversation-handle';
import { deriveSessionId } from '../session/derive-session-id';
import { parseTraceparent } from '../trace-context';
import type { JsonObject, ToolDescriptor } from '../types';
import { validDate } from '../valid-time';
import type { CallKind, CallState, PreparedToolCall, PrepareToolCallOptions } from './call-state';
import { type Ownership, ownershipOf } from './ownership';
import type { ToolCatalog } from './tool-catalog';
import { parseFeedbackReport } from './virtual-tools';

/** What the call step needs from the client. */
export interface CallStepHost {
  options: ResolvedOptions;
  catalog: ToolCatalog;
  connections: ConnectionSessions;
}

function isBlankIntent(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '{}';
}

function classify(
  host: CallStepHost,
  name: string,
  descriptor: ToolDescriptor | undefined,
  exists: unknown,
): CallKind {
  if (exists === false) return 'unknown';
  if (descriptor !== undefined || exists === true) return 'tool';
  const o = host.options;
  if (name === o.missingToolName && (o.reportMissing || host.catalog.advertised(name))) return 'missing';
  if (o.feedback && name === o.feedback.toolName) return 'feedback';
  return 'tool';
}

function ownershipFor(
  host: CallStepHost,
  kind: CallKind,
  name: string,
  descriptor: ToolDescriptor | undefined,
): Ownership | undefined {
  const enabled = host.catalog.enabled();
  if (kind === 'missing' || kind === 'feedback') {
    return {
      context: kind === 'missing',
      llmModel: enabled.llmModel,
      conversationId: enabled.conversationId,
      declared: [],
    };
  }
  if (kind === 'unknown') return undefined;
  if (descriptor !== undefined) return ownershipOf(readProperty(descriptor, 'inputSchema'), enabled);
  return host.catalog.listed(name);
}

/** Removes the owned injected arguments; returns the same object when none is present. */
function stripInjected(args: JsonObject, ownership: Ownership | undefined): JsonObject {
  if (!ownership) return args;
  const candidates: (string | undefined)[] = [
    ownership.context ? INJECTED.context : undefined,
    ownership.llmModel ? INJECTED.llmModel : undefined,
    ownership.conversationId ? INJECTED.conversationId : undefined,
  ];
  const owned = candidates.filter((key): key is string => key !== undefined && Object.hasOwn(args, key));
  return owned.length === 0 ? args : copyMembers(args, owned);
}

/**
 * The handler's arguments (injected ones removed) and the arguments as captured. Arguments whose keys or
 * owned members cannot be read (a throwing or revoked proxy, a throwing getter) go to the handler as they
 * are and are captured as the unreadable marker, so the call is still sent.
 */
function readArguments(
  raw: unknown,
  ownership: Ownership | undefined,
): { handler: JsonObject; captured: unknown } {
  if (!isPlainObject(raw)) return { handler: {}, captured: raw };
  try {
    const stripped = stripInjected(raw, ownership);
    Object.keys(stripped);
    return { handler: stripped, captured: stripped };
  } catch {
    return { handler: raw, captured: MARKER.unreadable };
  }
}

function readIntent(
  meta: MetaFields,
  args: JsonObject,
  ownership: Ownership | undefined,
  kind: CallKind,
): Pick<PreparedToolCall, 'intent' | 'intentSource'> {
  if (kind !== 'missing' && meta.userIntent !== undefined && !isBlankIntent(meta.userIntent)) {
    const intent = sanitizeFreeText(meta.userIntent);
    if (intent !== undefined) return { intent, intentSource: 'client_metadata' };
  }
  const context = ownership?.context ? readProperty(args, INJECTED.context) : undefined;
  if (typeof context === 'string' && !isBlankIntent(context)) {
    const intent = sanitizeFreeText(context);
    if (intent !== undefined) return { intent, intentSource: 'context_parameter' };
  }
  return {};
}

function readModel(
  meta: MetaFields,
  args: JsonObject,
  ownership: Ownership | undefined,
  enabled: boolean,
): Pick<PreparedToolCall, 'llmModel' | 'llmModelSource'> {
  if (!enabled) return {};
  const usable = (value: unknown): value is string =>
    typeof value === 'string' && value.trim() !== '' && value.trim().toLowerCase() !== 'unknown';
  if (usable(meta.model)) {
    const llmModel = sanitizeName(meta.model.trim());
    if (llmModel !== undefined) return { llmModel, llmModelSource: 'client_metadata' };
  }
  const argument = ownership?.llmModel ? readProperty(args, INJECTED.llmModel) : undefined;
  if (usable(argument)) {
    const llmModel = sanitizeName(argument.trim());
    if (llmModel !== undefined) return { llmModel, llmModelSource: 'self_reported' };
  }
  return {};
}

function startTime(value: unknown): Date {
  return validDate(value) ?? new Date();
}

/** The call step: reads and strips the injected arguments, resolves the session and the request's identities. */
export function prepareCall(
  host: CallStepHost,
  rawName: unknown,
  rawArgs: unknown,
  rawOptions: unknown,
): { call: PreparedToolCall; state: CallState } {
  const o = host.options;
  const options: PrepareToolCallOptions = isPlainObject(rawOptions) ? rawOptions : {};
  const startedMono = o.clock();
  const name = typeof rawName === 'string' ? rawName : '';
  const descriptorValue = options.tool ?? options.originalTool;
  const descriptor = isPlainObject(descriptorValue) ? descriptorValue : undefined;
  const kind = name === '' ? 'unknown' : classify(host, name, descriptor, options.exists);
  const ownership = ownershipFor(host, kind, name, descriptor);
  const args: JsonObject = isPlainObject(rawArgs) ? rawArgs : {};
  const { handler: stripped, captured } = readArguments(rawArgs, ownership);
  const meta = readMeta(options.meta ?? options.requestMeta);

  // An unknown tool has no schema to own; a valid handle there can only be one this package handed out.
  const readsHandle = ownership?.conversationId === true || (kind === 'unknown' && o.anchoring.enabled);
  const echoed = readsHandle
    ? normalizeConversationHandle(readProperty(args, INJECTED.conversationId))
    : undefined;
  const transport = resolveTransport(options.session, host.connections, kind !== 'unknown');
  const undeliveredSessionId = echoed ? deriveSessionId(echoed) : (transport.sessionId ?? freshSessionId());
  const canMint =
    o.anchoring.enabled &&
    kind !== 'unknown' &&
    !echoed &&
    !transport.sessionId &&
    ownership?.conversationId === true;
  const mintedHandle = canMint ? mintConversationHandle() : undefined;
  const conversationId = echoed ?? mintedHandle;
  const sessionId = conversationId ? deriveSessionId(conversationId) : undeliveredSessionId;

  const connection =
    transport.connectionKey !== undefined ? host.connections.getClient(transport.connectionKey) : undefined;
  const explicit =
    typeof options.protocolVersion === 'string' ? { protocolVersion: options.protocolVersion } : undefined;
  const trace = parseTraceparent(meta.traceparent);
  const identity = normalizeIdentity(options.identity);
  const state: CallState = {
    kind,
    toolName: name,
    nameIsRegistered:
      descriptor !== undefined ||
      options.exists === true ||
      host.catalog.listed(name) !== undefined ||
      kind === 'missing' ||
      kind === 'feedback',
    capturedArgs: captured,
    ownership,
    descriptor,
    context: {
      sessionId: echoed ? sessionId : undeliveredSessionId,
      sessionSource: echoed ? 'handle' : transport.sessionId ? 'transport' : 'fresh',
      conversationId: echoed,
      identity,
      client: resolveClient({ explicit, meta, headers: options.headers, token: transport.token, connection }),
      ...(trace
        ? { traceId: trace.traceId, parentSpanId: trace.parentSpanId, traceState: meta.tracestate }
        : {}),
    },
    mintedHandle,
    undeliveredSessionId,
    pendingIntent: undefined,
    startedAt: startTime(options.startedAt),
    startedMono,
    connectionKey: kind === 'unknown' ? undefined : transport.connectionKey,
    completed: kind === 'unknown',
    taskOpen: false,
  };

  let intent = kind === 'feedback' ? {} : readIntent(meta, args, ownership, kind);
  if (kind === 'tool' && intent.intent === undefined && o.intentFallback) {
    const inferred = callIntentFallback(host, name, stripped, options.meta ?? options.requestMeta);
    if (typeof inferred === 'string') intent = inferredIntent(inferred);
    else state.pendingIntent = inferred;
  }
  const call: PreparedToolCall = {
    toolName: name,
    args: stripped,
    ...intent,
    ...readModel(meta, args, ownership, o.model.enabled),
    ...(conversationId ? { conversationId } : {}),
    sessionId,
    isMissingCapability: kind === 'missing',
    isFeedback: kind === 'feedback',
    isUnknownTool: kind === 'unknown',
  };
  if (kind === 'feedback') call.feedbackReport = parseFeedbackReport(stripped, o.feedback);
  return { call, state };
}

function inferredIntent(value: string): Pick<PreparedToolCall, 'intent' | 'intentSource'> {
  const intent = isBlankIntent(value) ? undefined : sanitizeFreeText(value);
  return intent === undefined ? {} : { intent, intentSource: 'inferred' };
}

/** Runs `intentFallback`: a string now, a promise for the deferred stage, or nothing. */
function callIntentFallback(
  host: CallStepHost,
  toolName: string,
  args: JsonObject,
  meta: unknown,
): string | Promise<unknown> | undefined {
  try {
    const value = host.options.intentFallback?.({
      toolName,
      arguments: args,
      meta: isPlainObject(meta) ? meta : undefined,
    });
    if (typeof value === 'string') return value;
    if (
      value !== null &&
      typeof value === 'object' &&
      typeof (value as Promise<unknown>).then === 'function'
    ) {
      return Promise.resolve(value).catch(() => undefined);
    }
    return undefined;
  } catch (error) {
    host.options.log.warn(`intentFallback threw: ${String(error)}`);
    return undefined;
  }
}
