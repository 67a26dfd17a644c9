import { createLogger } from './logger';
import {
  type CollectFeedbackOptions,
  type FeedbackExtraProperty,
  INJECTED,
  type MCPOptions,
  type ResolvedFeedback,
  type ResolvedOptions,
  type ResolvedToggle,
} from './options';
import { MAX_NAME_CHARS } from './pipeline/limits';
import { isPlainObject } from './safe-object';

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
const EXTRA_NAME = /^[A-Za-z0-9_]{1,64}$/;

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

function flag(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(option, 'must be a boolean');
  return value;
}

function toggle(value: unknown, option: string): ResolvedToggle {
  if (value === undefined || value === true) return { enabled: true, description: undefined };
  if (value === false) return { enabled: false, description: undefined };
  if (isPlainObject(value)) {
    return { enabled: true, description: optionalString(value.description, `${option}.description`) };
  }
  return fail(option, 'must be a boolean or { description }');
}

function nameOption(value: unknown, option: string, fallback: string | undefined): string | undefined {
  const name = optionalString(value, option) ?? fallback;
  if (name !== undefined && (name.length === 0 || name.length > MAX_NAME_CHARS)) {
    fail(option, `must be 1–${MAX_NAME_CHARS} characters`);
  }
  return name;
}

function checkExtras(extraProperties: unknown): void {
  if (!isPlainObject(extraProperties)) fail('collectFeedback.extraProperties', 'must be an object');
  const injected: readonly string[] = Object.values(INJECTED);
  for (const [name, schema] of Object.entries(extraProperties)) {
    if (FEEDBACK_PROPERTY_SUFFIXES.includes(name) || injected.includes(name)) {
      fail(
        'collectFeedback.extraProperties',
        `declares \`${name}\`, which a built-in or injected argument uses`,
      );
    }
    if (!EXTRA_NAME.test(name)) fail('collectFeedback.extraProperties', `has an invalid name \`${name}\``);
    if (!isPlainObject(schema) || typeof schema.type !== 'string') {
      fail('collectFeedback.extraProperties', `\`${name}\` must be a schema with a \`type\``);
    }
  }
}

function resolveFeedback(value: unknown): ResolvedFeedback | undefined {
  if (value === undefined || value === false) return undefined;
  const given: unknown = value === true ? {} : value;
  if (!isPlainObject(given)) fail('collectFeedback', 'must be a boolean or an object');
  const config = given as CollectFeedbackOptions;
  const extraProperties: Record<string, FeedbackExtraProperty> = config.extraProperties ?? {};
  checkExtras(extraProperties);
  const extraRequired = config.extraRequired ?? [];
  if (!Array.isArray(extraRequired) || extraRequired.some((name) => !(name in extraProperties))) {
    fail('collectFeedback.extraRequired', 'must list names declared in extraProperties');
  }
  return {
    toolName: nameOption(config.toolName, 'collectFeedback.toolName', DEFAULT_FEEDBACK_TOOL_NAME) as string,
    description: optionalString(config.description, 'collectFeedback.description'),
    extraProperties,
    extraRequired,
  };
}

function resolveAliases(value: unknown): Record<string, Record<string, readonly string[]>> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) fail('inputAliases', 'must be an object of tool name → { argument: aliases[] }');
  for (const [tool, table] of Object.entries(value)) {
    if (!isPlainObject(table)) fail('inputAliases', `entry \`${tool}\` must be an object`);
    for (const aliases of Object.values(table)) {
      if (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string')) {
        fail('inputAliases', `entry \`${tool}\` must map each argument to an array of names`);
      }
    }
  }
  return value as Record<string, Record<string, readonly string[]>>;
}

function resolveCaptureParameters(value: unknown): boolean | 'keys' {
  if (value === undefined) return true;
  if (value !== true && value !== false && value !== 'keys')
    fail('captureParameters', "must be true, false or 'keys'");
  return value;
}

function resolveLogger(value: unknown): ResolvedOptions['logger'] {
  const names: readonly unknown[] = ['silent', 'stderr', 'debug'];
  if (value !== undefined && !names.includes(value) && typeof value !== 'function') {
    fail('logger', "must be 'silent', 'stderr', 'debug' or a function");
  }
  return createLogger(value as MCPOptions['logger']);
}

/** The default time limit of one host hook call, in milliseconds. */
export const DEFAULT_HOOK_TIMEOUT_MS = 2_000;
/** The longest accepted `hookTimeoutMs`: ten minutes. */
export const MAX_HOOK_TIMEOUT_MS = 600_000;
/** The default `exceptionRateLimit`. */
export const DEFAULT_EXCEPTION_RATE_LIMIT = { perSignature: 10, windowMs: 60_000 } as const;

function resolveHookTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_HOOK_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_HOOK_TIMEOUT_MS) {
    fail('hookTimeoutMs', `must be a whole number of milliseconds from 1 to ${MAX_HOOK_TIMEOUT_MS}`);
  }
  return value;
}

function resolveRateLimit(value: unknown): ResolvedOptions['exceptionRateLimit'] {
  if (value === undefined) return { ...DEFAULT_EXCEPTION_RATE_LIMIT };
  if (value === false) return false;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (!isPlainObject(value) || !whole(value.perSignature) || !whole(value.windowMs)) {
    fail(
      'exceptionRateLimit',
      'must be false or { perSignature, windowMs } with whole numbers of at least 1',
    );
  }
  return { perSignature: value.perSignature, windowMs: value.windowMs };
}

const isOn = (value: string | undefined): boolean =>
  value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/** Whether the environment opts out: `DO_NOT_TRACK` or `POSTHOG_MCP_DISABLED` set to a true value. */
function environmentOptsOut(): boolean {
  try {
    const env = typeof process === 'object' ? process.env : undefined;
    return isOn(env?.DO_NOT_TRACK) || isOn(env?.POSTHOG_MCP_DISABLED);
  } catch {
    return false;
  }
}

/** Validates the MCP options and applies defaults; throws a `TypeError` naming a bad option. */
export function resolveOptions(options: MCPOptions | undefined): ResolvedOptions {
  const o: MCPOptions = options ?? {};
  return {
    serverName: optionalString(o.serverName, 'serverName'),
    serverVersion: optionalString(o.serverVersion, 'serverVersion'),
    serverBuild: nameOption(o.serverBuild, 'serverBuild', undefined),
    context: toggle(o.context, 'context'),
    captureModel: toggle(o.captureModel, 'captureModel'),
    conversationAnchoring: toggle(o.conversationAnchoring, 'conversationAnchoring'),
    intentFallback: optionalFunction(o.intentFallback, 'intentFallback'),
    captureParameters: resolveCaptureParameters(o.captureParameters),
    captureResponse: flag(o.captureResponse, 'captureResponse', true),
    mcpExceptionAutocapture: flag(o.mcpExceptionAutocapture, 'mcpExceptionAutocapture', true),
    aiTracing: flag(o.aiTracing, 'aiTracing', false),
    beforeSend: optionalFunction(o.beforeSend, 'beforeSend'),
    reportMissing: flag(o.reportMissing, 'reportMissing', false),
    missingCapabilityToolName: nameOption(
      o.missingCapabilityToolName,
      'missingCapabilityToolName',
      DEFAULT_MISSING_TOOL_NAME,
    ) as string,
    collectFeedback: resolveFeedback(o.collectFeedback),
    inputAliases: resolveAliases(o.inputAliases),
    logger: resolveLogger(o.logger),
    hookTimeoutMs: resolveHookTimeout(o.hookTimeoutMs),
    exceptionRateLimit: resolveRateLimit(o.exceptionRateLimit),
    disabled: flag(o.disabled, 'disabled', false) || environmentOptsOut(),
  };
}
