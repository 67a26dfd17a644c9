import {
  type FeedbackExtraProperty,
  INJECTED,
  type ResolvedFeedback,
  type ResolvedOptions,
} from '../options';
import { isPlainObject, readProperty } from '../safe-object';
import type { FeedbackReport, FeedbackSentiment, FeedbackType, JsonObject } from '../types';
import {
  FEEDBACK_ACKNOWLEDGEMENT,
  FEEDBACK_TOOL_DESCRIPTION,
  MISSING_ACKNOWLEDGEMENT,
  MISSING_REPORT_DESCRIPTION,
  MISSING_TOOL_DESCRIPTION,
  NO_PERSONAL_DATA,
} from './descriptions';
import { injectedProperty } from './inject-arguments';

const FEEDBACK_TYPES: readonly FeedbackType[] = ['missing_capability', 'issue', 'praise', 'other'];
const SENTIMENTS: readonly FeedbackSentiment[] = ['positive', 'neutral', 'negative', 'mixed'];

/** A text-only tool result. */
export interface TextResult {
  content: { type: 'text'; text: string }[];
}

/** The acknowledgement returned to an agent that called `get_more_tools`. */
export function getMoreToolsResult(): TextResult {
  return { content: [{ type: 'text', text: MISSING_ACKNOWLEDGEMENT }] };
}

/** The acknowledgement returned to an agent that called `send_feedback`. */
export function sendFeedbackResult(): TextResult {
  return { content: [{ type: 'text', text: FEEDBACK_ACKNOWLEDGEMENT }] };
}

const text = (description: string): JsonObject => ({ type: 'string', description });

/** The injected arguments a virtual tool gets: every enabled one except `context`. */
function virtualInjected(options: ResolvedOptions): { properties: JsonObject; required: string[] } {
  const properties: JsonObject = {};
  const required: string[] = [];
  if (options.captureModel.enabled) {
    properties[INJECTED.llmModel] = injectedProperty('llmModel', options);
    required.push(INJECTED.llmModel);
  }
  if (options.conversationAnchoring.enabled)
    properties[INJECTED.conversationId] = injectedProperty('conversationId', options);
  return { properties, required };
}

/** The `get_more_tools` descriptor. */
export function missingCapabilityTool(options: ResolvedOptions): JsonObject {
  const injected = virtualInjected(options);
  return {
    name: options.missingCapabilityToolName,
    description: MISSING_TOOL_DESCRIPTION,
    inputSchema: {
      type: 'object',
      properties: { [INJECTED.context]: text(MISSING_REPORT_DESCRIPTION), ...injected.properties },
      required: [INJECTED.context, ...injected.required],
    },
  };
}

/** The `send_feedback` descriptor, with the host's declared extras. */
export function feedbackTool(options: ResolvedOptions, feedback: ResolvedFeedback): JsonObject {
  const injected = virtualInjected(options);
  return {
    name: feedback.toolName,
    description: feedback.description ?? FEEDBACK_TOOL_DESCRIPTION,
    inputSchema: {
      type: 'object',
      properties: {
        feedback_type: {
          type: 'string',
          enum: FEEDBACK_TYPES,
          description: 'What kind of feedback this is.',
        },
        summary: text(`One sentence that sums up the feedback. ${NO_PERSONAL_DATA}`),
        details: text(`More detail, if it helps. ${NO_PERSONAL_DATA}`),
        friction_points: text(`What made the task harder than it should have been. ${NO_PERSONAL_DATA}`),
        suggested_improvement: text(`What would have helped. ${NO_PERSONAL_DATA}`),
        tool_name: text('The name of the tool this feedback is about, if any.'),
        sentiment: { type: 'string', enum: SENTIMENTS, description: 'How the experience felt overall.' },
        task_completed: { type: 'boolean', description: 'Whether you completed your task.' },
        ...feedback.extraProperties,
        ...injected.properties,
      },
      required: ['feedback_type', 'summary', ...feedback.extraRequired, ...injected.required],
    },
  };
}

function optionalText(args: JsonObject, key: string): string | undefined {
  const value = readProperty(args, key);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function matchesSchema(value: unknown, schema: FeedbackExtraProperty): boolean {
  const enumValues = schema.enum;
  if (Array.isArray(enumValues) && !enumValues.includes(value as string | number)) return false;
  switch (schema.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    default:
      return isPlainObject(value);
  }
}

/** Parses a `send_feedback` call: enums coerced, declared extras kept only when they match. */
export function parseFeedbackReport(
  args: JsonObject,
  feedback: ResolvedFeedback | undefined,
): FeedbackReport {
  const type = readProperty(args, 'feedback_type');
  const sentiment = readProperty(args, 'sentiment');
  const taskCompleted = readProperty(args, 'task_completed');
  const extras: JsonObject = {};
  for (const [name, schema] of Object.entries(feedback?.extraProperties ?? {})) {
    const value = readProperty(args, name);
    if (value !== undefined && matchesSchema(value, schema)) extras[name] = value;
  }
  const report: FeedbackReport = {
    feedbackType: FEEDBACK_TYPES.includes(type as FeedbackType) ? (type as FeedbackType) : 'other',
    summary: optionalText(args, 'summary') ?? '',
    extras,
    raw: args,
  };
  const details = optionalText(args, 'details');
  const friction = optionalText(args, 'friction_points');
  const suggestion = optionalText(args, 'suggested_improvement');
  const toolName = optionalText(args, 'tool_name');
  if (details !== undefined) report.details = details;
  if (friction !== undefined) report.frictionPoints = friction;
  if (suggestion !== undefined) report.suggestedImprovement = suggestion;
  if (toolName !== undefined) report.toolName = toolName;
  if (SENTIMENTS.includes(sentiment as FeedbackSentiment)) report.sentiment = sentiment as FeedbackSentiment;
  if (typeof taskCompleted === 'boolean') report.taskCompleted = taskCompleted;
  return report;
}
