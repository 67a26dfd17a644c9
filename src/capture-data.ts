import type {
  FeedbackReport,
  HeadersLike,
  Identity,
  IntentSource,
  JsonObject,
  JsonRpcErrorObject,
  ModelSource,
  ToolDescriptor,
  TransportSession,
} from './types';

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
  /** Person properties, sent as `$set` (with `distinctId`). */
  setProperties?: JsonObject;
  /** Group memberships, sent as `$groups` (with `distinctId`). */
  groups?: Record<string, string | number>;
  /** The identity resolved for the request; wins over `distinctId`/`setProperties`/`groups`. */
  identity?: Identity | null;
  /** Extra event properties (sanitized; this package's own properties win). */
  properties?: JsonObject;
  /** When the request started. @default now minus `durationMs` */
  timestamp?: Date;
  /** Overrides the `serverName` option for this event. */
  serverName?: string;
  /** Overrides the `serverVersion` option for this event. */
  serverVersion?: string;
  /** The request's HTTP headers, read for client identity. */
  headers?: HeadersLike;
  /** The request's `params._meta`, read for client identity, intent, model and trace context. */
  meta?: JsonObject;
}

/** How long the request took. */
export interface Timed {
  /** Milliseconds from request to response, sent as `$mcp_duration_ms`. */
  durationMs?: number;
}

/** How a request failed, when it did. */
export interface FailureFields {
  /** True for a failure; by default a given `error` means failure. */
  isError?: boolean;
  /** The thrown value, or the tool's `isError` result. */
  error?: unknown;
  /** An explicit `$mcp_error_type` label (see `ERROR_TYPES`); else the thrown value's type. */
  errorType?: string;
}

/** Data for `captureToolCall`. Emits `$mcp_tool_call`, and `$exception` for a failure. */
export interface ToolCallCaptureData extends CaptureCommon, Timed, FailureFields {
  /** The tool's name, sent as `$mcp_tool_name`. */
  toolName: string;
  /** The tool's descriptor as advertised before injection: description, `_meta.category` and schema hash. */
  tool?: ToolDescriptor;
  /** The tool's own arguments, sent as the `tools/call` request in `$mcp_parameters`, as the steps do. */
  arguments?: JsonObject;
  /** Sent as `$mcp_tool_description`; wins over the descriptor's. */
  toolDescription?: string;
  /** Sent as `$mcp_tool_category`; wins over the descriptor's `_meta.category`. */
  category?: string;
  /** The agent's stated purpose; `_meta`'s user intent wins, as on the steps. */
  intent?: string;
  /** Where `intent` came from. @default 'context_parameter' */
  intentSource?: IntentSource;
  /** The model behind the agent; `_meta`'s model wins, as on the steps. */
  llmModel?: string;
  /** Where `llmModel` came from. @default 'self_reported' */
  llmModelSource?: ModelSource;
  /** Sent as `$mcp_parameters` as given (sanitized and bounded) when `arguments` is not given. */
  parameters?: unknown;
  /** The tool's result, sent as `$mcp_response` (sanitized and bounded). */
  response?: unknown;
  /** An upstream HTTP status, sent as `$mcp_error_status` on a failure. */
  errorStatus?: number;
  /** The JSON-RPC error the host answered with: a failed call, `$mcp_jsonrpc_error_code`. */
  jsonRpcError?: JsonRpcErrorObject;
}

/** Data for `captureInitialize`. Emits `$mcp_initialize`. */
export interface InitializeCaptureData extends CaptureCommon, Timed {
  /** The `initialize` params; `clientInfo` and `protocolVersion` are read from them. */
  parameters?: unknown;
  /** The `initialize` result. */
  response?: unknown;
}

/** Data for `captureToolsList`. Emits `$mcp_tools_list`. */
export interface ToolsListCaptureData extends CaptureCommon, Timed, FailureFields {
  /** The names advertised on this page. */
  toolNames?: readonly string[];
  /** Or the tools themselves; their names are taken. */
  tools?: readonly unknown[];
  /** The `tools/list` params; not sent. */
  parameters?: unknown;
  /** The listing result; only its envelope (`nextCursor`, `ttlMs`, `_meta` …) is kept. */
  response?: unknown;
}

/** Data for `captureMissingCapability`. Emits `$mcp_missing_capability`. */
export interface MissingCapabilityCaptureData extends CaptureCommon {
  /** The agent's report of what it could not find (`$mcp_intent`). */
  context?: string;
  /** The model behind the agent. */
  llmModel?: string;
  /** Where `llmModel` came from. @default 'self_reported' */
  llmModelSource?: ModelSource;
}

/** Data for `captureFeedback`. Emits `$mcp_feedback`. */
export interface FeedbackCaptureData extends CaptureCommon {
  /** The parsed report (`PreparedToolCall.feedbackReport`). */
  report: FeedbackReport;
  /** The model behind the agent. */
  llmModel?: string;
  /** Where `llmModel` came from. @default 'self_reported' */
  llmModelSource?: ModelSource;
}

/** Data for `captureUnknownTool`. Emits `$mcp_unknown_tool`. */
export interface UnknownToolCaptureData extends CaptureCommon {
  /** The requested name (treated as free text). */
  toolName: string;
}

/** Data for `captureInputRequired`. Emits `$mcp_input_required`. */
export interface InputRequiredCaptureData extends CaptureCommon, Timed {
  /** The tool that asked for input. */
  toolName: string;
  /** The `input_required` result; the `method` of each `inputRequests` value is taken. */
  result?: unknown;
  /** Or the methods themselves. */
  inputRequestMethods?: readonly string[];
}

/** Data for `captureResourceRead` and `capturePromptGet`. */
export interface ResourceCaptureData extends CaptureCommon, Timed, FailureFields {
  /** The resource URI or prompt name. */
  name?: string;
  /** The resource URI; wins over `name`. */
  uri?: string;
}

/** Data for `captureResourcesList` and `capturePromptsList`. */
export interface ListingCaptureData extends CaptureCommon, Timed {
  /** The names or URIs on this page. */
  names?: readonly string[];
  /** The listing result; only its envelope is kept. */
  response?: unknown;
}
