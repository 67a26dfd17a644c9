import type { Logger, LoggerOption } from './logger';
import type { BeforeSendHook, IntentFallbackInput, MaybePromise } from './types';

/** A JSON-schema fragment declaring one extra `send_feedback` argument. */
export interface FeedbackExtraProperty {
  /** The argument's JSON type; a value of another type is not captured. */
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  /** What the agent is asked to put there. */
  description?: string;
  /** The only values accepted. */
  enum?: readonly (string | number)[];
  /** Any other JSON-schema keyword, advertised as given. */
  [key: string]: unknown;
}

/** The object form of `collectFeedback`. */
export interface CollectFeedbackOptions {
  /** The virtual tool's name. @default 'send_feedback' */
  toolName?: string;
  /** Replaces the tool's description. @default a description asking for feedback without personal data */
  description?: string;
  /** Extra report arguments, each sent as `$mcp_feedback_<name>`. @default {} */
  extraProperties?: Record<string, FeedbackExtraProperty>;
  /** Which extra arguments are required. @default [] */
  extraRequired?: readonly string[];
}

/** The MCP options of `PostHogMCP`, beside every posthog-node option. */
export interface MCPOptions {
  /** Sent as `$mcp_server_name` on every event. @default undefined */
  serverName?: string;
  /** Sent as `$mcp_server_version` on every event. @default undefined */
  serverVersion?: string;
  /** An immutable build id (1–256 characters), sent as `$mcp_server_build`. @default undefined */
  serverBuild?: string;
  /** Inject `context` and capture `$mcp_intent`; `{ description }` replaces the text. @default true */
  context?: boolean | { description?: string };
  /** Read the model from `_meta`, else inject `llm_model`; `{ description }` replaces the text. @default true */
  captureModel?: boolean | { description?: string };
  /** Inject `conversation_id`, mint handles and derive `$session_id` from them. @default true */
  conversationAnchoring?: boolean | { description?: string };
  /** Supplies an intent when the agent gave none (`$mcp_intent_source: "inferred"`). @default undefined */
  intentFallback?: (input: IntentFallbackInput) => MaybePromise<string | null | undefined>;
  /** `true` sends `$mcp_parameters`; `'keys'` sends only `$mcp_input_keys`; `false` neither. @default true */
  captureParameters?: boolean | 'keys';
  /** Send `$mcp_response` on `$mcp_tool_call`. @default true */
  captureResponse?: boolean;
  /** Send `$exception` next to failed calls; independent of posthog-node's `enableExceptionAutocapture`. @default true */
  mcpExceptionAutocapture?: boolean;
  /**
   * Send an `$ai_span` (PostHog LLM analytics) next to each `$mcp_tool_call`, in the trace of the request's
   * `_meta.traceparent` when it has one, else in a trace per `$session_id`.
   * @default false
   */
  aiTracing?: boolean;
  /** Edits or drops each MCP event after privacy and bounds; `null` or a throw drops it. @default undefined */
  beforeSend?: BeforeSendHook;
  /** Advertise the `get_more_tools` virtual tool. @default false */
  reportMissing?: boolean;
  /** The missing-capability tool's name, used by injection and detection alike. @default 'get_more_tools' */
  missingCapabilityToolName?: string;
  /** Advertise the `send_feedback` virtual tool. @default false */
  collectFeedback?: boolean | CollectFeedbackOptions;
  /** Per tool, per canonical argument, the alternative names the tool accepts. @default {} */
  inputAliases?: Record<string, Record<string, readonly string[]>>;
  /** Where diagnostics go: silent, `'stderr'`, `'debug'` (also one line per event) or a function; never stdout. @default 'silent' */
  logger?: LoggerOption;
  /**
   * Time limit of each `beforeSend`, `intentFallback` and router `identify` call, in milliseconds (1–600,000).
   * Past it a `beforeSend` event is dropped, an `intentFallback` event goes without an inferred intent, and an
   * `identify` request goes on anonymous.
   * @default 2000
   */
  hookTimeoutMs?: number;
  /**
   * Past `perSignature` `$exception` events per `windowMs` for one signature (tool, type and message with numbers
   * and ids normalised), `$exception` is held back (never the call); the next one sent carries
   * `$mcp_exceptions_suppressed`. `false` sends every one.
   * @default { perSignature: 10, windowMs: 60_000 }
   */
  exceptionRateLimit?: { perSignature: number; windowMs: number } | false;
  /**
   * Turns MCP analytics off: nothing injected, no virtual tools, no MCP events, results untouched. Also set by
   * `DO_NOT_TRACK=1` or `POSTHOG_MCP_DISABLED=1` in the environment at construction.
   * @default false
   */
  disabled?: boolean;
}

/** The names of the arguments this package injects. */
export const INJECTED = {
  context: 'context',
  llmModel: 'llm_model',
  conversationId: 'conversation_id',
} as const;

/** Every MCP option key, so the client can split them from posthog-node's; the compiler checks it is complete. */
export const MCP_OPTION_KEYS = Object.keys({
  serverName: true,
  serverVersion: true,
  serverBuild: true,
  context: true,
  captureModel: true,
  conversationAnchoring: true,
  intentFallback: true,
  captureParameters: true,
  captureResponse: true,
  mcpExceptionAutocapture: true,
  aiTracing: true,
  beforeSend: true,
  reportMissing: true,
  missingCapabilityToolName: true,
  collectFeedback: true,
  inputAliases: true,
  logger: true,
  hookTimeoutMs: true,
  exceptionRateLimit: true,
  disabled: true,
} satisfies Record<keyof MCPOptions, true>) as readonly (keyof MCPOptions)[];

/** A switch option after defaults: on or off, with the replacement description if one was given. */
export interface ResolvedToggle {
  enabled: boolean;
  description: string | undefined;
}

/** The resolved `collectFeedback` option. */
export interface ResolvedFeedback {
  toolName: string;
  description: string | undefined;
  extraProperties: Record<string, FeedbackExtraProperty>;
  extraRequired: readonly string[];
}

interface ResolvedValues {
  context: ResolvedToggle;
  captureModel: ResolvedToggle;
  conversationAnchoring: ResolvedToggle;
  captureParameters: boolean | 'keys';
  captureResponse: boolean;
  mcpExceptionAutocapture: boolean;
  aiTracing: boolean;
  reportMissing: boolean;
  missingCapabilityToolName: string;
  collectFeedback: ResolvedFeedback | undefined;
  inputAliases: Record<string, Record<string, readonly string[]>>;
  logger: Logger;
  hookTimeoutMs: number;
  exceptionRateLimit: { perSignature: number; windowMs: number } | false;
  disabled: boolean;
}

/** The MCP options after defaults and validation, under their public names. */
export type ResolvedOptions = {
  readonly [K in keyof MCPOptions]-?: K extends keyof ResolvedValues
    ? ResolvedValues[K]
    : MCPOptions[K] | undefined;
};

/** posthog-node's own options: everything but the MCP options. */
export function withoutMCPOptions<T extends object>(options: T | undefined): Omit<T, keyof MCPOptions> {
  const copy: Record<string, unknown> = { ...options };
  for (const key of MCP_OPTION_KEYS) delete copy[key];
  return copy as Omit<T, keyof MCPOptions>;
}
