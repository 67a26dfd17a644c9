/** The names of the MCP events this package sends. */
export const EVENT = {
  toolCall: '$mcp_tool_call',
  exception: '$exception',
  toolsList: '$mcp_tools_list',
  initialize: '$mcp_initialize',
  unknownTool: '$mcp_unknown_tool',
  inputRequired: '$mcp_input_required',
  missingCapability: '$mcp_missing_capability',
  feedback: '$mcp_feedback',
  resourceRead: '$mcp_resource_read',
  resourcesList: '$mcp_resources_list',
  promptGet: '$mcp_prompt_get',
  promptsList: '$mcp_prompts_list',
  aiSpan: '$ai_span',
} as const;

/** An MCP event name. */
export type MCPEventName = (typeof EVENT)[keyof typeof EVENT];

/** The property names this package sets, the one source of names for events and tests. */
export const PROP = {
  interface: '$mcp_interface',
  sessionId: '$session_id',
  lib: '$lib',
  libVersion: '$lib_version',
  geoipDisable: '$geoip_disable',
  processPersonProfile: '$process_person_profile',
  set: '$set',
  groups: '$groups',
  source: '$mcp_source',
  toolName: '$mcp_tool_name',
  resourceName: '$mcp_resource_name',
  isError: '$mcp_is_error',
  durationMs: '$mcp_duration_ms',
  toolDescription: '$mcp_tool_description',
  toolCategory: '$mcp_tool_category',
  intent: '$mcp_intent',
  intentSource: '$mcp_intent_source',
  llmModel: '$mcp_llm_model',
  llmModelSource: '$mcp_llm_model_source',
  conversationId: '$mcp_conversation_id',
  parameters: '$mcp_parameters',
  response: '$mcp_response',
  inputKeys: '$mcp_input_keys',
  inputAliasesUsed: '$mcp_input_aliases_used',
  errorType: '$mcp_error_type',
  errorMessage: '$mcp_error_message',
  errorStatus: '$mcp_error_status',
  serverName: '$mcp_server_name',
  serverVersion: '$mcp_server_version',
  serverBuild: '$mcp_server_build',
  clientName: '$mcp_client_name',
  clientVersion: '$mcp_client_version',
  protocolVersion: '$mcp_protocol_version',
  clientUserAgent: '$mcp_client_user_agent',
  vendorClient: '$mcp_vendor_client',
  listedToolNames: '$mcp_listed_tool_names',
  listedResourceNames: '$mcp_listed_resource_names',
  listedPromptNames: '$mcp_listed_prompt_names',
  promptName: '$mcp_prompt_name',
  inputRequestMethods: '$mcp_input_request_methods',
  feedbackType: '$mcp_feedback_type',
  feedbackSummary: '$mcp_feedback_summary',
  feedbackDetails: '$mcp_feedback_details',
  feedbackFrictionPoints: '$mcp_feedback_friction_points',
  feedbackSuggestedImprovement: '$mcp_feedback_suggested_improvement',
  feedbackTool: '$mcp_feedback_tool',
  feedbackSentiment: '$mcp_feedback_sentiment',
  feedbackTaskCompleted: '$mcp_feedback_task_completed',
  feedbackPrefix: '$mcp_feedback_',
  exceptionList: '$exception_list',
  exceptionLevel: '$exception_level',
  exceptionSource: '$exception_source',
  traceId: '$trace_id',
  spanId: '$span_id',
  traceState: '$mcp_trace_state',
  toolSchemaHash: '$mcp_tool_schema_hash',
  inputTokensEst: '$mcp_input_tokens_est',
  outputTokensEst: '$mcp_output_tokens_est',
  emptyResult: '$mcp_empty_result',
  repeatCount: '$mcp_repeat_count',
  argsHash: '$mcp_args_hash',
  errorOrigin: '$mcp_error_origin',
  jsonRpcErrorCode: '$mcp_jsonrpc_error_code',
  exceptionsSuppressed: '$mcp_exceptions_suppressed',
  catalogTokensEst: '$mcp_catalog_tokens_est',
  listedTools: '$mcp_listed_tools',
  aiTraceId: '$ai_trace_id',
  aiSpanId: '$ai_span_id',
  aiParentId: '$ai_parent_id',
  aiSpanName: '$ai_span_name',
  aiLatency: '$ai_latency',
  aiIsError: '$ai_is_error',
  aiError: '$ai_error',
  aiInputState: '$ai_input_state',
  aiOutputState: '$ai_output_state',
  aiSessionId: '$ai_session_id',
} as const;

/** Fixed property values. */
export const VALUE = {
  interface: 'mcp',
  source: 'posthog_mcp_analytics',
  exceptionSource: 'mcp.tool_call',
  exceptionLevel: 'error',
} as const;

/** The shared vocabulary of explicit `$mcp_error_type` labels. */
export const ERROR_TYPES = [
  'validation',
  'permission',
  'missing_context',
  'timeout',
  'rate_limited',
  'api_4xx',
  'api_5xx',
  'cancelled',
  'input_required',
  'internal',
] as const;

/** An MCP event as handed to `beforeSend`: sanitized and bounded, in the shape passed to `capture()`. */
export interface MCPEvent {
  /** The event name, e.g. `$mcp_tool_call` or `$exception`. */
  event: string;
  /** The person (the identity's distinct id), else the event's `$session_id`. */
  distinctId: string;
  /** The event's properties, keyed by `PROP` names; edits are sanitized and bounded again. */
  properties: Record<string, unknown>;
  /** Group memberships, also sent as `$groups`. */
  groups?: Record<string, string | number>;
  /** When the request started. */
  timestamp: Date;
  /** The event's UUIDv7; keep it so the `$lib` label and deduplication stay right. */
  uuid: string;
}
