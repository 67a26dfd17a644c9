/** Default description of the injected `context` argument. */
export const CONTEXT_DESCRIPTION =
  'Why you are calling this tool: the abstract purpose of this step of your task, in one sentence. ' +
  'Describe people and organisations by their role (for example "a customer"), and leave out names, ' +
  'contact details and any other personal or identifying information.';

/** Default description of the injected `llm_model` argument. */
export const LLM_MODEL_DESCRIPTION =
  'The identifier of the language model making this call, for example "claude-sonnet-4-5". ' +
  'Leave out personal or identifying information.';

/** Default description of the injected `conversation_id` argument. */
export const CONVERSATION_ID_DESCRIPTION =
  'If an earlier result in this conversation returned a conversation_id, pass that exact value; ' +
  'otherwise leave this argument out.';

/** Default description of the `get_more_tools` virtual tool. */
export const MISSING_TOOL_DESCRIPTION =
  'Report a capability you need that none of the available tools provides. Call it when no tool fits a ' +
  'step of your task; the report tells the developers of this server what to add. It does not add tools now.';

/** Description of the `get_more_tools` report argument. */
export const MISSING_REPORT_DESCRIPTION =
  'What you were trying to do and which capability was missing, in abstract terms. Describe people by ' +
  'their role and leave out names, contact details and any other personal or identifying information.';

/** Default description of the `send_feedback` virtual tool. */
export const FEEDBACK_TOOL_DESCRIPTION =
  "Send feedback about this server's tools to its developers: a missing capability, a problem you hit, " +
  'or something that worked well. Leave out personal or identifying information.';

/** Reminder appended to each free-text feedback argument. */
export const NO_PERSONAL_DATA =
  'Leave out names, contact details and other personal or identifying information.';

/** Text of the acknowledgement returned for `get_more_tools`. */
export const MISSING_ACKNOWLEDGEMENT =
  'Thank you. The missing capability was reported to the developers of this server. ' +
  'Carry on with the tools that are available.';

/** Text of the acknowledgement returned for `send_feedback`. */
export const FEEDBACK_ACKNOWLEDGEMENT = 'Thank you. Your feedback was sent to the developers of this server.';
