import type { EventDraft } from '../event-draft';
import type { ResolvedOptions } from '../options';
import { normalizeIdentity } from '../request/identity';
import { type MetaFields, readMeta } from '../request/meta';
import { resolveRequestFacts } from '../request/request-facts';
import { resolveTransport, type TransportResolution } from '../request/transport';
import { isPlainObject, readProperty } from '../safe-object';
import type { ConnectionSessions } from '../session/connection-sessions';
import { deriveSessionId } from '../session/derive-session-id';
import type { JsonObject, ToolCallOutcome, ToolDescriptor } from '../types';
import { unknownToolEvent } from './call-events';
import { createStamp, type Stamp } from './call-stamp';
import type { CallKind, CallState, PreparedToolCall, PrepareToolCallOptions } from './call-state';
import {
  type CallSession,
  callIntentFallback,
  callSession,
  classify,
  passthroughCall,
  readArguments,
  readCallIntentAndModel,
  startTime,
} from './call-step';
import { type Ownership, ownershipOf } from './ownership';
import { completeState } from './result-step';
import type { ToolCatalog } from './tool-catalog';
import { parseFeedbackReport } from './virtual-tools';

/** What the lifecycle needs: the resolved options, the catalog, connection tracking and the event sink. */
export interface ToolCallsDeps {
  options: ResolvedOptions;
  catalog: ToolCatalog;
  connections: ConnectionSessions;
  emit(draft: EventDraft): void;
}

/** What the host gets back; intent and model assigned, not spread (a spread made V8 build it slowly). */
function preparedCall(state: CallState, args: JsonObject, handle: string | undefined): PreparedToolCall {
  const call: PreparedToolCall = {
    toolName: state.toolName,
    args,
    sessionId: handle === undefined ? state.request.sessionId : deriveSessionId(handle),
    isMissingCapability: state.kind === 'missing',
    isFeedback: state.kind === 'feedback',
    isUnknownTool: state.kind === 'unknown',
  };
  const { intent, model } = state;
  if (intent) {
    call.intent = intent.intent;
    call.intentSource = intent.intentSource;
  }
  if (model) {
    call.llmModel = model.llmModel;
    call.llmModelSource = model.llmModelSource;
  }
  return call;
}

/** Owns prepared tool calls from the call step to their result: prepare, complete, discard. */
export class ToolCalls {
  readonly #deps: ToolCallsDeps;
  readonly #calls: Stamp<CallState> = createStamp();

  constructor(deps: ToolCallsDeps) {
    this.#deps = deps;
  }

  /** The call step: strips injected arguments, resolves the request and emits `$mcp_unknown_tool` if told. */
  prepare(rawName: unknown, rawArgs: unknown, rawOptions: unknown): PreparedToolCall {
    const options: PrepareToolCallOptions = isPlainObject(rawOptions) ? rawOptions : {};
    const state = this.#read(rawName, rawArgs, options);
    const args = state.args;
    if (state.kind === 'tool' && !state.intent) this.#fallback(state, args, options.meta);
    const handle = state.mintedHandle ?? state.echoedHandle;
    const call = preparedCall(state, args, handle);
    if (handle !== undefined) call.conversationId = handle;
    if (state.feedbackReport) call.feedbackReport = state.feedbackReport;
    this.#calls.attach(call, state);
    if (state.kind === 'unknown' && state.toolName !== '') {
      this.#deps.emit(unknownToolEvent(state.request, state.toolName, state.startedAt));
    }
    return call;
  }

  /** The result step: emits the call's events and returns the result to deliver. */
  complete(call: PreparedToolCall, outcome: ToolCallOutcome | undefined): unknown {
    const state = this.#calls.read(call);
    const given = outcome ?? {};
    if (!state || state.completed) return given.result;
    const wasTask = state.taskOpen;
    const delivered = this.#complete(state, given);
    if (!state.taskOpen || wasTask) this.#close(state, given.endedAt);
    return delivered;
  }

  /** Forgets a prepared call that will never complete, without an event. */
  discard(call: PreparedToolCall): void {
    const state = this.#calls.read(call);
    if (state && !state.completed) this.#close(state);
  }

  /** A call for the host when preparing failed: its arguments pass through untouched. */
  passthrough(name: unknown, args: unknown): PreparedToolCall {
    return passthroughCall(name, args);
  }

  #classify(name: string, descriptor: ToolDescriptor | undefined, exists: unknown) {
    const { options: o, catalog } = this.#deps;
    const missing = o.missingCapabilityToolName;
    const kind = classify(
      { name, descriptor, exists },
      {
        missing: o.reportMissing || catalog.advertised(missing) ? missing : undefined,
        feedback: o.collectFeedback?.toolName,
      },
    );
    const enabled = catalog.enabled();
    let ownership: Ownership | undefined;
    if (kind === 'missing' || kind === 'feedback') {
      ownership = { ...enabled, context: kind === 'missing', declared: [] };
    } else if (kind === 'tool') {
      ownership = descriptor
        ? ownershipOf(readProperty(descriptor, 'inputSchema'), enabled)
        : catalog.listed(name);
    }
    return { kind, ownership };
  }

  #request(
    options: PrepareToolCallOptions,
    call: { meta: MetaFields; transport: TransportResolution; session: CallSession },
  ) {
    const { options: o, connections } = this.#deps;
    const { meta, transport, session } = call;
    const key = transport.connectionKey;
    const protocolVersion = options.protocolVersion;
    return resolveRequestFacts({
      sessionId: session.sessionId,
      sessionSource: session.source,
      conversationId: session.echoed,
      identity: normalizeIdentity(options.identity),
      meta,
      explicit: typeof protocolVersion === 'string' ? { protocolVersion } : undefined,
      headers: options.headers,
      token: transport.token,
      connection: key === undefined ? undefined : connections.getClient(key),
      server: { name: o.serverName, version: o.serverVersion, build: o.serverBuild },
    });
  }

  /** The call's transport and session; an unknown tool neither starts a call on its connection nor mints. */
  #session(
    call: { kind: CallKind; ownership: Ownership | undefined; args: JsonObject },
    options: PrepareToolCallOptions,
  ) {
    const { kind, ownership, args } = call;
    const anchoring = this.#deps.options.conversationAnchoring.enabled;
    const startedAt = startTime(options.startedAt);
    const starts = kind === 'unknown' ? undefined : startedAt;
    const transport = resolveTransport(options.session, this.#deps.connections, starts);
    const session = callSession(args, transport, {
      readsHandle: ownership?.conversationId === true || (kind === 'unknown' && anchoring),
      mayMint: anchoring && kind !== 'unknown' && ownership?.conversationId === true,
    });
    return { startedAt, transport, session };
  }

  #read(rawName: unknown, rawArgs: unknown, options: PrepareToolCallOptions): CallState {
    const { options: o, catalog } = this.#deps;
    const startedMono = performance.now();
    const name = typeof rawName === 'string' ? rawName : '';
    const descriptor = isPlainObject(options.tool) ? (options.tool as ToolDescriptor) : undefined;
    const { kind, ownership } = this.#classify(name, descriptor, options.exists);
    const args: JsonObject = isPlainObject(rawArgs) ? rawArgs : {};
    const { handler: stripped, captured } = readArguments(rawArgs, ownership);
    const meta = readMeta(options.meta);
    const { startedAt, transport, session } = this.#session({ kind, ownership, args }, options);
    const virtual = kind === 'missing' || kind === 'feedback';
    const read = readCallIntentAndModel(
      { kind, meta, args },
      {
        context: ownership?.context === true,
        llmModel: ownership?.llmModel === true,
        modelEnabled: o.captureModel.enabled,
      },
    );
    // Every member written out: a spread among the members made V8 build this object slowly (~2 µs a call).
    return {
      kind,
      toolName: name,
      registered:
        virtual || descriptor !== undefined || options.exists === true || catalog.listed(name) !== undefined,
      args: stripped,
      capturedArgs: captured,
      ownership,
      descriptor,
      request: this.#request(options, { meta, transport, session }),
      echoedHandle: session.echoed,
      mintedHandle: session.minted,
      intent: read.intent,
      model: read.model,
      feedbackReport: kind === 'feedback' ? parseFeedbackReport(stripped, o.collectFeedback) : undefined,
      pendingIntent: undefined,
      startedAt,
      startedMono,
      connectionKey: kind === 'unknown' ? undefined : transport.connectionKey,
      completed: kind === 'unknown',
      taskOpen: false,
    };
  }

  #fallback(state: CallState, args: JsonObject, meta: unknown): void {
    const { options } = this.#deps;
    const inferred = callIntentFallback(
      options.intentFallback,
      { toolName: state.toolName, arguments: args, meta: isPlainObject(meta) ? meta : undefined },
      options.logger,
    );
    if (inferred instanceof Promise) state.pendingIntent = inferred;
    else state.intent = inferred;
  }

  #complete(state: CallState, outcome: ToolCallOutcome): unknown {
    const { result, events } = completeState(this.#deps.options, state, outcome);
    for (const draft of events) this.#deps.emit(draft);
    return result;
  }

  #close(state: CallState, endedAt?: unknown): void {
    state.completed = true;
    state.taskOpen = false;
    if (state.connectionKey === undefined) return;
    const at =
      endedAt instanceof Date ? endedAt.getTime() : typeof endedAt === 'number' ? endedAt : undefined;
    this.#deps.connections.end(state.connectionKey, at);
  }
}
