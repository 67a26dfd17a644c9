import type { RequestContext } from '../request-context';
import type {
  FeedbackReport,
  HeadersLike,
  Identity,
  IntentSource,
  JsonObject,
  ModelSource,
  ToolDescriptor,
  TransportSession,
} from '../types';
import type { Ownership } from './ownership';

/** Options of the call step. */
export interface PrepareToolCallOptions {
  /** The tool's registered descriptor, before injection; its presence means the tool exists. */
  tool?: ToolDescriptor | undefined;
  /** Alias of `tool`, as `@posthog/mcp` names it. */
  originalTool?: ToolDescriptor | undefined;
  /** `false` when the host knows there is no such tool; omitted means unknown. */
  exists?: boolean | undefined;
  /** The request's `params._meta`. */
  meta?: JsonObject | undefined;
  /** Alias of `meta`, as `@posthog/mcp` names it. */
  requestMeta?: JsonObject | undefined;
  /** The request's HTTP headers. */
  headers?: HeadersLike | undefined;
  /** The transport session: an id, or `{ connection }` for a one-client connection. */
  session?: TransportSession | undefined;
  /** The identity resolved for this request. */
  identity?: Identity | null | undefined;
  /** When the request started (wall clock). Defaults to now. */
  startedAt?: Date | number | undefined;
  /** The request's protocol revision, when the router knows it. */
  protocolVersion?: string | undefined;
}

/** What the call step returns: the handler's arguments and what the package read from the call. */
export interface PreparedToolCall {
  /** The tool name as requested. */
  toolName: string;
  /** The arguments for the handler, with injected arguments removed. */
  args: JsonObject;
  intent?: string;
  intentSource?: IntentSource;
  llmModel?: string;
  llmModelSource?: ModelSource;
  /** The conversation handle of this call: echoed, or minted and delivered by the result step. */
  conversationId?: string;
  /** The call's `$session_id`. */
  sessionId: string;
  /** True for a call to the `get_more_tools` virtual tool. */
  isMissingCapability: boolean;
  /** True for a call to the `send_feedback` virtual tool. */
  isFeedback: boolean;
  /** The parsed report of a `send_feedback` call. */
  feedbackReport?: FeedbackReport;
  /** True when the host said the tool does not exist (`$mcp_unknown_tool` was sent). */
  isUnknownTool: boolean;
}

/** What kind of call this is. */
export type CallKind = 'tool' | 'missing' | 'feedback' | 'unknown';

/** The call's internal context, kept beside the returned object until it completes. */
export interface CallState {
  kind: CallKind;
  toolName: string;
  nameIsRegistered: boolean;
  /** The arguments as captured: injected ones removed. */
  capturedArgs: unknown;
  ownership: Ownership | undefined;
  descriptor: ToolDescriptor | undefined;
  context: RequestContext;
  /** A handle minted for this call; it applies only once a result delivers it. */
  mintedHandle: string | undefined;
  /** The `$session_id` used when a minted handle is not delivered. */
  undeliveredSessionId: string;
  pendingIntent: Promise<unknown> | undefined;
  startedAt: Date;
  startedMono: number;
  connectionKey: unknown;
  completed: boolean;
  taskOpen: boolean;
}
