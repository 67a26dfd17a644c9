import type { Logger } from '../logger';
import { INJECTED } from '../options';
import { MARKER, sanitizeFreeText, sanitizeName } from '../pipeline/sanitize';
import type { MetaFields } from '../request/meta';
import type { SessionSource } from '../request/request-facts';
import type { TransportResolution } from '../request/transport';
import { copyMembers, isPlainObject, readProperty } from '../safe-object';
import { mintConversationHandle, normalizeConversationHandle } from '../session/conversation-handle';
import { deriveSessionId } from '../session/derive-session-id';
import { newSessionId } from '../session/new-session-id';
import type { IntentFallbackInput, JsonObject, MaybePromise, ToolDescriptor } from '../types';
import { validDate } from '../valid-time';
import type { CallKind, PreparedToolCall } from './call-state';
import { type IntentReading, isBlankIntent, type ModelReading, readIntent, readModel } from './intent-model';
import type { Ownership } from './ownership';

/** Which virtual tools a call's name can be, as the instance is configured and has advertised. */
export interface VirtualNames {
  missing: string | undefined;
  feedback: string | undefined;
}

/** What kind of call a name is: an explicit existence verdict wins, then the virtual tools, else a tool. */
export function classify(
  call: { name: string; descriptor: ToolDescriptor | undefined; exists: unknown },
  virtual: VirtualNames,
): CallKind {
  const { name, descriptor, exists } = call;
  if (name === '') return 'unknown';
  if (descriptor !== undefined || exists === true) return 'tool';
  if (name === virtual.missing) return 'missing';
  if (name === virtual.feedback) return 'feedback';
  return exists === false ? 'unknown' : 'tool';
}

/** Removes the owned injected arguments; returns the same object when none is present. */
export function stripInjected(args: JsonObject, ownership: Ownership | undefined): JsonObject {
  if (!ownership) return args;
  const owned: string[] = [];
  if (ownership.context && Object.hasOwn(args, INJECTED.context)) owned.push(INJECTED.context);
  if (ownership.llmModel && Object.hasOwn(args, INJECTED.llmModel)) owned.push(INJECTED.llmModel);
  if (ownership.conversationId && Object.hasOwn(args, INJECTED.conversationId)) {
    owned.push(INJECTED.conversationId);
  }
  return owned.length === 0 ? args : copyMembers(args, owned);
}

/** The session a call belongs to, before any minted handle is delivered. */
export interface CallSession {
  sessionId: string;
  source: SessionSource;
  /** A valid handle the agent echoed. */
  echoed: string | undefined;
  /** A handle minted for this call, used only once delivered. */
  minted: string | undefined;
}

/** Resolves a call's session: an echoed handle, the transport, or fresh (minting a handle when it may). */
export function callSession(
  args: JsonObject,
  transport: TransportResolution,
  rules: { readsHandle: boolean; mayMint: boolean },
): CallSession {
  const echoed = rules.readsHandle
    ? normalizeConversationHandle(readProperty(args, INJECTED.conversationId))
    : undefined;
  if (echoed) return { sessionId: deriveSessionId(echoed), source: 'handle', echoed, minted: undefined };
  if (transport.sessionId !== undefined) {
    return { sessionId: transport.sessionId, source: 'transport', echoed: undefined, minted: undefined };
  }
  const minted = rules.mayMint ? mintConversationHandle() : undefined;
  return { sessionId: newSessionId(), source: 'fresh', echoed: undefined, minted };
}

/**
 * Intent and model of a call, read as the spec orders their sources; the intent is sanitized for the host.
 * The readings are written out member by member: a spread here cost V8 more than the rest of the read.
 */
export function readCallIntentAndModel(
  call: { kind: CallKind; meta: MetaFields; args: JsonObject },
  owned: { context: boolean; llmModel: boolean; modelEnabled: boolean },
): { intent: IntentReading | undefined; model: ModelReading | undefined } {
  const { kind, meta, args } = call;
  const context = owned.context ? readProperty(args, INJECTED.context) : undefined;
  const raw =
    kind === 'feedback' ? undefined : readIntent(kind === 'missing' ? {} : meta, context, undefined);
  const intentText = raw && sanitizeFreeText(raw.intent);
  const intent =
    raw && intentText !== undefined ? { intent: intentText, intentSource: raw.intentSource } : undefined;
  const modelRaw = owned.modelEnabled
    ? readModel(meta, owned.llmModel ? readProperty(args, INJECTED.llmModel) : undefined)
    : undefined;
  const modelText = modelRaw && sanitizeName(modelRaw.llmModel);
  const model =
    modelRaw && modelText !== undefined
      ? { llmModel: modelText, llmModelSource: modelRaw.llmModelSource }
      : undefined;
  return { intent, model };
}

/** Runs `intentFallback`: an intent now, a promise for the deferred stage, or nothing. */
export function callIntentFallback(
  fallback: ((input: IntentFallbackInput) => MaybePromise<string | null | undefined>) | undefined,
  input: IntentFallbackInput,
  log: Logger,
): IntentReading | Promise<unknown> | undefined {
  if (!fallback) return undefined;
  try {
    const value: unknown = fallback(input);
    if (typeof value === 'string') {
      const intent = isBlankIntent(value) ? undefined : sanitizeFreeText(value);
      return intent === undefined ? undefined : { intent, intentSource: 'inferred' };
    }
    if (isPlainObject(value) && typeof readProperty(value, 'then') === 'function') {
      return Promise.resolve(value).catch(() => undefined);
    }
    return undefined;
  } catch (error) {
    log.warn(`intentFallback threw: ${String(error)}`);
    return undefined;
  }
}

/** A valid start time: a `Date` or epoch milliseconds between 1970 and 9999, else now. */
export function startTime(value: unknown): Date {
  return validDate(value) ?? new Date();
}

/**
 * The handler's arguments (injected ones removed) and the arguments as captured. Arguments whose keys or
 * owned members cannot be read (a throwing or revoked proxy, a throwing getter) go to the handler as they
 * are and are captured as the unreadable marker, so the call is still sent.
 */
export function readArguments(
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

/** What the host gets back for a call the step could not read at all. */
export function passthroughCall(name: unknown, args: unknown): PreparedToolCall {
  return {
    toolName: typeof name === 'string' ? name : '',
    args: isPlainObject(args) ? args : {},
    sessionId: '',
    isMissingCapability: false,
    isFeedback: false,
    isUnknownTool: false,
  };
}
