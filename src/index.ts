export type { PostHogMCPOptions } from './client';
export { PostHogMCP } from './client';
export type { MCPDiagnosticField, MCPDiagnosticFinding, MCPDiagnostics } from './diagnostics';
export type { EventSink, EventSinkOptions, PostHogFetch, SinkEvent, TextWritable } from './event-sink';
export { createEventSink, decodeCaptureBody } from './event-sink';
export type { MCPEventName } from './events';
export { ERROR_TYPES, EVENT, PROP, VALUE } from './events';
export type { LoggerFunction, LoggerOption, LogLevel } from './logger';
export type { CollectFeedbackOptions, FeedbackExtraProperty, MCPOptions } from './options';
export type { InstrumentRouterOptions, Router } from './router/router-options';
export { readHandleFromResult } from './session/conversation-handle';
export { deriveSessionId } from './session/derive-session-id';
export { newSessionId } from './session/new-session-id';
export type { SessionTokenPayload } from './session/session-token';
export { decodeSessionToken, encodeSessionToken, MCP_SESSION_HEADER } from './session/session-token';
export type { EventSummary, SummaryInputEvent, TextCount, ToolSummary } from './summary';
export { formatEventLine, formatSummary, parseEventLines, summarizeEvents } from './summary';
export type { PreparedToolCall, PrepareToolCallOptions } from './tools/call-state';
export type { PrepareToolListOptions } from './tools/tool-catalog';
export type { TextResult } from './tools/virtual-tools';
export { getMoreToolsResult, sendFeedbackResult } from './tools/virtual-tools';
export type {
  BeforeSendHook,
  CaptureCommon,
  FeedbackCaptureData,
  FeedbackReport,
  FeedbackSentiment,
  FeedbackType,
  HeadersLike,
  Identity,
  InitializeCaptureData,
  InputRequiredCaptureData,
  IntentFallbackInput,
  IntentSource,
  JsonObject,
  ListingCaptureData,
  MaybePromise,
  MCPEvent,
  MissingCapabilityCaptureData,
  ModelSource,
  ResourceCaptureData,
  ToolCallCaptureData,
  ToolCallOutcome,
  ToolDescriptor,
  ToolsListCaptureData,
  TransportSession,
  UnknownToolCaptureData,
} from './types';
export { VERSION } from './version';
