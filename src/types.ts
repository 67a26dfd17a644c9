import type { MCPEvent } from './events';
import type { JsonObject } from './safe-object';

export type { MCPEvent } from './events';
export type { JsonObject } from './safe-object';

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
  /** The tool's name. */
  name: string;
  /** What the tool does; sent as `$mcp_tool_description`. */
  description?: string;
  /** The JSON schema of its arguments; the injected arguments are added to it. */
  inputSchema?: JsonObject;
  /** The JSON schema of its structured result. */
  outputSchema?: JsonObject;
  /** Tool metadata; `_meta.category` is sent as `$mcp_tool_category`. */
  _meta?: JsonObject;
  /** Any other member, advertised as given. */
  [key: string]: unknown;
}

/** The outcome handed to the result step. */
export interface ToolCallOutcome {
  /** The tool's result, as it will be sent to the client. */
  result?: unknown;
  /** The thrown error, when the handler threw. */
  error?: unknown;
  /** An explicit `$mcp_error_type` label, e.g. `validation` or `timeout` (see `ERROR_TYPES`). */
  errorType?: string;
  /** An upstream HTTP status, sent as `$mcp_error_status`. */
  errorStatus?: number;
  /** The terminal status of a task call (`resultType: "task"`). */
  status?: 'completed' | 'failed' | 'cancelled';
  /** When the call ended (wall clock); the duration is clamped to 0. @default a monotonic reading now */
  endedAt?: Date | number;
  /** The JSON-RPC error the host answered with instead of a result: a failed call, `$mcp_jsonrpc_error_code`. */
  jsonRpcError?: JsonRpcErrorObject;
}

/** A JSON-RPC error object as a host answers with it. */
export interface JsonRpcErrorObject {
  /** The JSON-RPC error code, e.g. -32602; it decides `$mcp_error_origin`. */
  code: number;
  /** The error message, sent as `$mcp_error_message`. */
  message?: string;
}

/** Feedback categories. */
export type FeedbackType = 'missing_capability' | 'issue' | 'praise' | 'other';

/** Feedback sentiments. */
export type FeedbackSentiment = 'positive' | 'neutral' | 'negative' | 'mixed';

/** One parsed `send_feedback` report. */
export interface FeedbackReport {
  /** What kind of feedback; anything else became `other`. */
  feedbackType: FeedbackType;
  /** One sentence that sums it up. */
  summary: string;
  /** More detail. */
  details?: string;
  /** What made the task harder. */
  frictionPoints?: string;
  /** What would have helped. */
  suggestedImprovement?: string;
  /** The tool the feedback is about. */
  toolName?: string;
  /** How the experience felt. */
  sentiment?: FeedbackSentiment;
  /** Whether the agent completed its task. */
  taskCompleted?: boolean;
  /** Declared extra fields whose values match their declared type. */
  extras: JsonObject;
  /** The raw arguments, for the host's own handler; never captured. */
  raw: JsonObject;
}

/** The MCP-level before-send hook: return the event (edited or not), or `null` to drop it. */
export type BeforeSendHook = (event: MCPEvent) => MaybePromise<MCPEvent | null | undefined>;

/** What `intentFallback` receives. */
export interface IntentFallbackInput {
  /** The called tool. */
  toolName: string;
  /** The tool's own arguments (injected ones removed). */
  arguments: JsonObject;
  /** The request's `params._meta`. */
  meta: JsonObject | undefined;
}
