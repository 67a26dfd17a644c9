import type { RequestFacts } from '../request/request-facts';
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
import type { IntentReading, ModelReading } from './intent-model';
import type { Ownership } from './ownership';

/** Options of the call step (`prepareToolCall`). */
export interface PrepareToolCallOptions {
  /** The tool's registered descriptor as the host advertises it, before injection; its presence means the tool exists. */
  tool?: ToolDescriptor | undefined;
  /** `false` when the host knows there is no such tool (`$mcp_unknown_tool` is sent); omitted means unknown. */
  exists?: boolean | undefined;
  /** The request's `params._meta`: client identity, intent, model and trace context. */
  meta?: JsonObject | undefined;
  /** The request's HTTP headers: `User-Agent`, `MCP-Protocol-Version`, `X-Anthropic-Client`. */
  headers?: HeadersLike | undefined;
  /** The transport session: an id (`Mcp-Session-Id`, a replayed token) or `{ connection }` for a one-client connection. */
  session?: TransportSession | undefined;
  /** The identity resolved for this request; without it the events are anonymous. */
  identity?: Identity | null | undefined;
  /** When the request started (wall clock). @default now */
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
  /** The agent's stated purpose (`$mcp_intent`), sanitized. */
  intent?: string;
  /** Where `intent` came from. */
  intentSource?: IntentSource;
  /** The model behind the agent (`$mcp_llm_model`). */
  llmModel?: string;
  /** Where `llmModel` came from. */
  llmModelSource?: ModelSource;
  /** The conversation handle of this call: echoed, or minted and delivered by the result step. */
  conversationId?: string;
  /** The call's `$session_id` (a minted handle's, which applies once the result step delivers it). */
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

/** The call's internal state, kept beside the returned object until it completes. */
export interface CallState {
  kind: CallKind;
  toolName: string;
  registered: boolean;
  /** The arguments for the handler: injected ones removed. */
  args: JsonObject;
  /** The arguments as captured: injected ones removed, or the unreadable marker. */
  capturedArgs: unknown;
  ownership: Ownership | undefined;
  descriptor: ToolDescriptor | undefined;
  /** The request's facts, with the session the call has unless a minted handle is delivered. */
  request: RequestFacts;
  /** A valid handle the agent echoed. */
  echoedHandle: string | undefined;
  /** A handle minted for this call; it applies only once a result delivers it. */
  mintedHandle: string | undefined;
  feedbackReport: FeedbackReport | undefined;
  intent: IntentReading | undefined;
  model: ModelReading | undefined;
  pendingIntent: Promise<unknown> | undefined;
  startedAt: Date;
  startedMono: number;
  connectionKey: unknown;
  completed: boolean;
  taskOpen: boolean;
}
