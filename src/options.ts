import { createLogger, type Logger } from './logger';
import { MAX_NAME_CHARS } from './pipeline/limits';
import type {
  BeforeSendHook,
  CollectFeedbackOptions,
  FeedbackExtraProperty,
  IntentFallbackInput,
  MaybePromise,
  MCPOptions,
} from './types';

/** The names of the arguments this package injects. */
export const INJECTED = {
  context: 'context',
  llmModel: 'llm_model',
  conversationId: 'conversation_id',
} as const;

/** The default virtual tool names. */
export const DEFAULT_MISSING_TOOL_NAME = 'get_more_tools';
export const DEFAULT_FEEDBACK_TOOL_NAME = 'send_feedback';

/** The built-in `send_feedback` arguments; extras may not reuse them or their property names. */
export const FEEDBACK_ARGUMENTS = [
  'feedback_type',
  'summary',
  'details',
  'friction_points',
  'suggested_improvement',
  'tool_name',
  'sentiment',
  'task_completed',
] as const;
const FEEDBACK_PROPERTY_SUFFIXES = ['type', 'tool', ...FEEDBACK_ARGUMENTS];

/** The options after defaults and validation. */
export interface ResolvedOptions {
  serverName: string | undefined;
  serverVersion: string | undefined;
  serverBuild: string | undefined;
  context: { enabled: boolean; description: string | undefined };
  model: { enabled: boolean; description: string | undefined };
  anchoring: { enabled: boolean; description: string | undefined };
  intentFallback: ((input: IntentFallbackInput) => MaybePromise<string | null | undefined>) | undefined;
  captureParameters: boolean | 'keys';
  captureResponse: boolean;
  exceptionAutocapture: boolean;
  beforeSend: BeforeSendHook | undefined;
  reportMissing: boolean;
  missingToolName: string;
  feedback: ResolvedFeedback | undefined;
  inputAliases: Record<string, Record<string, readonly string[]>>;
  log: Logger;
  clock: () => number;
  hookTimeoutMs: number;
}

/** The resolved `collectFeedback` option. */
export interface ResolvedFeedback {
  toolName: string;
  description: string | undefined;
  extraProperties: Record<string, FeedbackExtraProperty>;
  extraRequired: readonly string[];
}

function fail(option: string, problem: string): never {
  throw new TypeError(`PostHogMCP: option \`${option}\` ${problem}`);
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(option, 'must be a string');
  return value;
}

function optionalFunction<T>(value: unknown, option: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(option, 'must be a function');
  return value as T;
}

function toggle(value: unknown, option: string): { enabled: boolean; description: string | undefined } {
  if (value === undefined || value === true) return { enabled: true, description: undefined };
  if (value === false) return { enabled: false, description: undefined };
  if (typeof value === 'object' && value !== null) {
    return {
      enabled: true,
      description: optionalString((value as { description?: unknown }).description, `${option}.description`),
    };
  }
  return fail(option, 'must be a boolean or { description }');
}

function toolName(value: unknown, option: string, fallback: string): string {
  const name = optionalString(value, option) ?? fallback;
  if (name.length === 0 || name.length > MAX_NAME_CHARS)
    fail(option, `must be 1–${MAX_NAME_CHARS} characters`);
  return name;
}

function resolveFeedback(value: unknown): ResolvedFeedback | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) value = {};
  if (typeof value !== 'object' || value === null) fail('collectFeedback', 'must be a boolean or an object');
  const config = value as CollectFeedbackOptions;
  const extraProperties = config.extraProperties ?? {};
  if (typeof extraProperties !== 'object' || extraProperties === null) {
    fail('collectFeedback.extraProperties', 'must be an object');
  }
  const injected: readonly string[] = Object.values(INJECTED);
  for (const [name, schema] of Object.entries(extraProperties)) {
    if (FEEDBACK_PROPERTY_SUFFIXES.includes(name) || injected.includes(name)) {
      fail(
        'collectFeedback.extraProperties',
        `declares \`${name}\`, which a built-in or injected argument uses`,
      );
    }
    if (!/^[A-Za-z0-9_]{1,64}$/.test(name))
      fail('collectFeedback.extraProperties', `has an invalid name \`${name}\``);
    if (typeof schema !== 'object' || schema === null || typeof schema.type !== 'string') {
      fail('collectFeedback.extraProperties', `\`${name}\` must be a schema with a \`type\``);
    }
  }
  const extraRequired = config.extraRequired ?? [];
  if (!Array.isArray(extraRequired) || extraRequired.some((name) => !(name in extraProperties))) {
    fail('collectFeedback.extraRequired', 'must list names declared in extraProperties');
  }
  return {
    toolName: toolName(config.toolName, 'collectFeedback.toolName', DEFAULT_FEEDBACK_TOOL_NAME),
    description: optionalString(config.description, 'collectFeedback.description'),
    extraProperties,
    extraRequired,
  };
}

function resolveAliases(value: unknown): Record<string, Record<string, readonly string[]>> {
  if (value === undefined) return {};
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) fail('inputAliases', 'must be an object of tool name → { argument: aliases[] }');
  for (const [tool, table] of Object.entries(value)) {
    if (!isObject(table)) fail('inputAliases', `entry \`${tool}\` must be an object`);
    for (const aliases of Object.values(table)) {
      if (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string')) {
        fail('inputAliases', `entry \`${tool}\` must map each argument to an array of names`);
      }
    }
  }
  return value as Record<string, Record<string, readonly string[]>>;
}

function resolveServerBuild(value: unknown): string | undefined {
  const build = optionalString(value, 'serverBuild');
  if (build !== undefined && (build.length < 1 || build.length > MAX_NAME_CHARS)) {
    fail('serverBuild', `must be 1–${MAX_NAME_CHARS} characters`);
  }
  return build;
}

/** The default time limit of one host hook call, in milliseconds. */
export const DEFAULT_HOOK_TIMEOUT_MS = 2_000;
/** The longest accepted `hookTimeoutMs`: ten minutes. */
export const MAX_HOOK_TIMEOUT_MS = 600_000;

function resolveHookTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_HOOK_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_HOOK_TIMEOUT_MS) {
    fail('hookTimeoutMs', `must be a whole number of milliseconds from 1 to ${MAX_HOOK_TIMEOUT_MS}`);
  }
  return value;
}

/** Validates the MCP options and applies defaults; throws a `TypeError` naming a bad option. */
export function resolveOptions(options: MCPOptions | undefined): ResolvedOptions {
  const o: MCPOptions = options ?? {};
  const captureParameters = o.captureParameters ?? true;
  if (captureParameters !== true && captureParameters !== false && captureParameters !== 'keys') {
    fail('captureParameters', "must be true, false or 'keys'");
  }
  const logger = o.logger;
  if (logger !== undefined && logger !== 'silent' && logger !== 'stderr' && typeof logger !== 'function') {
    fail('logger', "must be 'silent', 'stderr' or a function");
  }
  const booleanOption = (value: unknown, option: string, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') fail(option, 'must be a boolean');
    return value;
  };
  return {
    serverName: optionalString(o.serverName, 'serverName'),
    serverVersion: optionalString(o.serverVersion, 'serverVersion'),
    serverBuild: resolveServerBuild(o.serverBuild),
    context: toggle(o.context, 'context'),
    model: toggle(o.captureModel, 'captureModel'),
    anchoring: toggle(o.conversationAnchoring, 'conversationAnchoring'),
    intentFallback: optionalFunction(o.intentFallback, 'intentFallback'),
    captureParameters,
    captureResponse: booleanOption(o.captureResponse, 'captureResponse', true),
    exceptionAutocapture: booleanOption(o.mcpExceptionAutocapture, 'mcpExceptionAutocapture', true),
    beforeSend: optionalFunction(o.beforeSend, 'beforeSend'),
    reportMissing: booleanOption(o.reportMissing, 'reportMissing', false),
    missingToolName: toolName(
      o.missingCapabilityToolName,
      'missingCapabilityToolName',
      DEFAULT_MISSING_TOOL_NAME,
    ),
    feedback: resolveFeedback(o.collectFeedback),
    inputAliases: resolveAliases(o.inputAliases),
    log: createLogger(logger),
    clock: optionalFunction<() => number>(o.clock, 'clock') ?? (() => performance.now()),
    hookTimeoutMs: resolveHookTimeout(o.hookTimeoutMs),
  };
}
