import type { LoggerOption } from './logger';

/** A JSON-ish object. */
export type JsonObject = Record<string, unknown>;

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** Where `$mcp_intent` came from. */
export type IntentSource = 'context_parameter' | 'inferred' | 'client_metadata';

/** Where `$mcp_llm_model` came from. */
export type ModelSource = 'client_metadata' | 'self_reported';

/** HTTP request headers: a plain object (Node's `req.headers`) or a WHATWG `Headers`. */
export type HeadersLike =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/**
 * The transport session of a request: a string id (legacy `Mcp-Session-Id`, a framework session id,
 * a replayed session token) or `{ connection }` for a one-client connection such as stdio.
 */
export type TransportSession = string | { connection: unknown };

/** The identity the host resolved for a request. */
export interface Identity {
  /** The person's distinct id (becomes `distinct_id`). */
  distinctId: string;
  /** Person properties, sent as `$set`. */
  properties?: JsonObject;
  /** Group memberships, sent as `$groups`. */
  groups?: Record<string, string | number>;
}

/** A tool as the host advertises it in `tools/list`. */
export interface ToolDescriptor {
  name: string;
  description?: string;
  inputSchema?: JsonObject;
  outputSchema?: JsonObject;
  _meta?: JsonObject;
  [key: string]: unknown;
}

/** The outcome handed to the result step. */
export interface ToolCallOutcome {
  /** The tool's result, as it will be sent to the client. */
  result?: unknown;
  /** The thrown error, when the handler threw. */
  error?: unknown;
  /** An explicit `$mcp_error_type` label, e.g. `validation` or `timeout`. */
  errorType?: string;
  /** An upstream HTTP status, sent as `$mcp_error_status`. */
  errorStatus?: number;
  /** The terminal status of a task call (`resultType: "task"`). */
  status?: 'completed' | 'failed' | 'cancelled';
  /** When the call ended (wall clock); the duration is clamped to 0. Defaults to a monotonic reading. */
  endedAt?: Date | number;
}

/** Fields every finished-call capture method accepts. */
export interface CaptureCommon {
  /** Resolved person distinct id; without it the event is anonymous. */
  distinctId?: string;
  /** The transport session id; a session token gives its `sid`. */
  sessionId?: string;
  /** A one-client connection key or session id, tracked like the call step's `session`. */
  session?: TransportSession;
  /** A conversation handle (lowercase UUIDv7); it decides `$session_id` when valid. */
  conversationId?: string;
  /** Negotiated protocol revision, sent as `$mcp_protocol_version`. */
  protocolVersion?: string;
  /** MCP client name, sent as `$mcp_client_name`. */
  clientName?: string;
  /** MCP client version, sent as `$mcp_client_version`. */
  clientVersion?: string;
  /** Raw `User-Agent`, sent as `$mcp_client_user_agent`. */
  clientUserAgent?: string;
  /** Raw `X-Anthropic-Client`, sent as `$mcp_vendor_client`. */
  vendorClient?: string;
  /** Person properties, sent as `$set`. */
  setProperties?: JsonObject;
  /** Group memberships, sent as `$groups`. */
  groups?: Record<string, string | number>;
  /** The identity resolved for the request; wins over `distinctId`/`setProperties`/`groups`. */
  identity?: Identity | null;
  /** Extra event properties (sanitized; this package's own properties win). */
  properties?: JsonObject;
  /** When the request started. Defaults to now minus `durationMs`. */
  timestamp?: Date;
  /** Overrides the `serverName` option for this event. */
  serverName?: string;
  /** Overrides the `serverVersion` option for this event. */
  serverVersion?: string;
  /** The request's HTTP headers, read for client identity. */
  headers?: HeadersLike;
  /** The request's `params._meta`, read for client identity, intent and model. */
  meta?: JsonObject;
}

/** Data for `captureToolCall`. Emits `$mcp_tool_call`, and `$exception` for a failure. */
export interface ToolCallCaptureData extends CaptureCommon {
  toolName: string;
  toolDescription?: string;
  category?: string;
  intent?: string;
  intentSource?: IntentSource;
  llmModel?: string;
  llmModelSource?: ModelSource;
  /** Sent as `$mcp_parameters`, as given (sanitized and bounded). */
  parameters?: unknown;
  /** Sent as `$mcp_response` (sanitized and bounded). */
  response?: unknown;
  durationMs?: number;
  isError?: boolean;
  /** The thrown value or the `isError` result. */
  error?: unknown;
  errorType?: string;
  errorStatus?: number;
}

/** Data for `captureInitialize`. Emits `$mcp_initialize`. */
export interface InitializeCaptureData extends CaptureCommon {
  parameters?: unknown;
  response?: unknown;
  durationMs?: number;
}

/** Data for `captureToolsList`. Emits `$mcp_tools_list`. */
export interface ToolsListCaptureData extends CaptureCommon {
  /** The names advertised on this page. */
  toolNames?: readonly string[];
  /** Or the tools themselves; their names are taken. */
  tools?: readonly unknown[];
  parameters?: unknown;
  /** The listing result; only its envelope (`nextCursor`, `ttlMs`, `_meta` …) is kept. */
  response?: unknown;
  durationMs?: number;
  isError?: boolean;
  error?: unknown;
  errorType?: string;
}

/** Data for `captureMissingCapability`. Emits `$mcp_missing_capability`. */
export interface MissingCapabilityCaptureData extends CaptureCommon {
  /** The agent's report of what it could not find (`$mcp_intent`). */
  context?: string;
  /** Alias of `context`. */
  report?: string;
  llmModel?: string;
  llmModelSource?: ModelSource;
  /** Accepted for compatibility; never sent. */
  parameters?: unknown;
}

/** Feedback categories. */
export type FeedbackType = 'missing_capability' | 'issue' | 'praise' | 'other';

/** Feedback sentiments. */
export type FeedbackSentiment = 'positive' | 'neutral' | 'negative' | 'mixed';

/** One parsed `send_feedback` report. */
export interface FeedbackReport {
  feedbackType: FeedbackType;
  summary: string;
  details?: string;
  frictionPoints?: string;
  suggestedImprovement?: string;
  toolName?: string;
  sentiment?: FeedbackSentiment;
  taskCompleted?: boolean;
  /** Declared extra fields whose values match their declared type. */
  extras: JsonObject;
  /** The raw arguments, for the host's own handler; never captured. */
  raw: JsonObject;
}

/** Data for `captureFeedback`. Emits `$mcp_feedback`. */
export interface FeedbackCaptureData extends CaptureCommon {
  report: FeedbackReport;
  llmModel?: string;
  llmModelSource?: ModelSource;
}

/** Data for `captureUnknownTool`. Emits `$mcp_unknown_tool`. */
export interface UnknownToolCaptureData extends CaptureCommon {
  toolName: string;
}

/** Data for `captureInputRequired`. Emits `$mcp_input_required`. */
export interface InputRequiredCaptureData extends CaptureCommon {
  toolName: string;
  durationMs?: number;
  /** The `input_required` result; the `method` of each `inputRequests` value is taken. */
  result?: unknown;
  /** Or the methods themselves. */
  inputRequestMethods?: readonly string[];
}

/** Data for `captureResourceRead` and `capturePromptGet`. */
export interface ResourceCaptureData extends CaptureCommon {
  /** The resource URI or prompt name. */
  name?: string;
  uri?: string;
  durationMs?: number;
  isError?: boolean;
  error?: unknown;
  errorType?: string;
}

/** Data for `captureResourcesList` and `capturePromptsList`. */
export interface ListingCaptureData extends CaptureCommon {
  /** The names or URIs on this page. */
  names?: readonly string[];
  /** The listing result; only its envelope is kept. */
  response?: unknown;
  durationMs?: number;
}

/** An MCP event as handed to `beforeSend`. */
export interface MCPEvent {
  event: string;
  distinctId: string;
  properties: JsonObject;
  groups?: Record<string, string | number>;
  timestamp: Date;
  uuid: string;
}

/** The MCP-level before-send hook: return the event (edited or not), or `null` to drop it. */
export type BeforeSendHook = (event: MCPEvent) => MaybePromise<MCPEvent | null | undefined>;

/** What `intentFallback` receives. */
export interface IntentFallbackInput {
  toolName: string;
  arguments: JsonObject;
  meta: JsonObject | undefined;
}

/** A JSON-schema fragment declaring one extra `send_feedback` argument. */
export interface FeedbackExtraProperty {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  enum?: readonly (string | number)[];
  [key: string]: unknown;
}

/** The object form of `collectFeedback`. */
export interface CollectFeedbackOptions {
  /** @default 'send_feedback' */
  toolName?: string;
  /** Replaces the tool's description. */
  description?: string;
  /** Extra report arguments, each sent as `$mcp_feedback_<name>`. */
  extraProperties?: Record<string, FeedbackExtraProperty>;
  /** Which extra arguments are required. */
  extraRequired?: readonly string[];
}

/** The MCP options of `PostHogMCP`, beside every posthog-node option. */
export interface MCPOptions {
  /** Sent as `$mcp_server_name` on every event. */
  serverName?: string;
  /** Sent as `$mcp_server_version` on every event. */
  serverVersion?: string;
  /** An immutable build id (1–256 characters), sent as `$mcp_server_build`. */
  serverBuild?: string;
  /** Inject `context` and capture `$mcp_intent`; `{ description }` replaces the text. @default true */
  context?: boolean | { description?: string };
  /** Read the model from `_meta`, else inject `llm_model`. @default true */
  captureModel?: boolean | { description?: string };
  /** Inject `conversation_id`, mint handles and derive `$session_id` from them. @default true */
  conversationAnchoring?: boolean | { description?: string };
  /** Supplies an intent when the agent gave none (`$mcp_intent_source: "inferred"`). */
  intentFallback?: (input: IntentFallbackInput) => MaybePromise<string | null | undefined>;
  /** `true` sends `$mcp_parameters`; `'keys'` sends only `$mcp_input_keys`; `false` neither. @default true */
  captureParameters?: boolean | 'keys';
  /** Send `$mcp_response` on `$mcp_tool_call`. @default true */
  captureResponse?: boolean;
  /** Send `$exception` next to failed calls. @default true */
  mcpExceptionAutocapture?: boolean;
  /** Edits or drops each MCP event after privacy and bounds; `null` or a throw drops it. */
  beforeSend?: BeforeSendHook;
  /** Advertise the `get_more_tools` virtual tool. @default false */
  reportMissing?: boolean;
  /** The missing-capability tool's name. @default 'get_more_tools' */
  missingCapabilityToolName?: string;
  /** Advertise the `send_feedback` virtual tool. @default false */
  collectFeedback?: boolean | CollectFeedbackOptions;
  /** Per tool, per canonical argument, the alternative names the tool accepts. */
  inputAliases?: Record<string, Record<string, readonly string[]>>;
  /** Where diagnostics go: silent, `'stderr'` or a function; never stdout. @default 'silent' */
  logger?: LoggerOption;
  /** A monotonic clock in milliseconds, for tests. @default performance.now */
  clock?: () => number;
  /**
   * Time limit of each `beforeSend` and `intentFallback` call, in milliseconds (1–600,000). Past it a
   * `beforeSend` event is dropped and an `intentFallback` event goes without an inferred intent.
   * @default 2000
   */
  hookTimeoutMs?: number;
}
