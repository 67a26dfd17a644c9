export type {
  CaptureCommon,
  FeedbackCaptureData,
  InitializeCaptureData,
  InputRequiredCaptureData,
  ListingCaptureData,
  MissingCapabilityCaptureData,
  ResourceCaptureData,
  ToolCallCaptureData,
  ToolsListCaptureData,
  UnknownToolCaptureData,
} from './capture-data';
export type { PostHogMCPOptions } from './client';
export { PostHogMCP } from './client';
export type { MCPDiagnostics } from './diagnostics';
export { ERROR_TYPES, EVENT, PROP } from './events';
export type { LoggerOption } from './logger';
export type { CollectFeedbackOptions, FeedbackExtraProperty, MCPOptions } from './options';
export type { InstrumentRouterOptions, Router } from './router/router-options';
export { deriveSessionId } from './session/derive-session-id';
export { newSessionId } from './session/new-session-id';
export type { SessionTokenPayload } from './session/session-token';
export { decodeSessionToken, encodeSessionToken, MCP_SESSION_HEADER } from './session/session-token';
export type { PreparedToolCall, PrepareToolCallOptions } from './tools/call-state';
export type { PrepareToolListOptions } from './tools/tool-catalog';
export { getMoreToolsResult, sendFeedbackResult } from './tools/virtual-tools';
export type {
  BeforeSendHook,
  FeedbackReport,
  FeedbackSentiment,
  FeedbackType,
  HeadersLike,
  Identity,
  IntentFallbackInput,
  IntentSource,
  JsonObject,
  JsonRpcErrorObject,
  MCPEvent,
  ModelSource,
  ToolCallOutcome,
  ToolDescriptor,
  TransportSession,
} from './types';
export { VERSION } from './version';
