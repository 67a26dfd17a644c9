/** A log sink: receives a level and a message. Never given anything for stdout. */
export type LoggerFunction = (level: LogLevel, message: string) => void;

/** Log levels used by this package. */
export type LogLevel = 'debug' | 'warn' | 'error';

/**
 * The `logger` option: silent by default; `'stderr'` for warnings and errors on stderr; `'debug'` for those plus
 * one line per MCP event as it is sent; or a function.
 */
export type LoggerOption = 'silent' | 'stderr' | 'debug' | LoggerFunction;

/** The package's internal logger: never throws, never writes to stdout. */
export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Whether a sink is set (`'stderr'`, `'debug'` or a function). */
  readonly isSet: boolean;
  /** Whether each MCP event is logged as it is sent (`logger: 'debug'`). */
  readonly logsEvents: boolean;
}

/** The longest message handed to a sink, in characters; the rest is cut. */
export const MAX_LOG_MESSAGE_CHARS = 8192;

const writeStderr: LoggerFunction = (level, message) => {
  process.stderr.write(`[posthog-mcp-analytics] ${level}: ${message}\n`);
};

function bounded(message: string): string {
  return message.length > MAX_LOG_MESSAGE_CHARS ? `${message.slice(0, MAX_LOG_MESSAGE_CHARS)}…` : message;
}

/** Builds the logger for a `logger` option value. */
export function createLogger(option: LoggerOption | undefined): Logger {
  const sink =
    option === 'stderr' || option === 'debug'
      ? writeStderr
      : typeof option === 'function'
        ? option
        : undefined;
  const log = (level: LogLevel, message: string): void => {
    if (!sink) return;
    try {
      sink(level, bounded(message));
    } catch {
      // A failing log sink must not reach the host.
    }
  };
  return {
    debug: (message) => log('debug', message),
    warn: (message) => log('warn', message),
    error: (message) => log('error', message),
    isSet: sink !== undefined,
    logsEvents: option === 'debug',
  };
}

/** Describes any thrown value in one short line for a log message. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return 'unprintable error';
  }
}

/** One argument of a posthog-node log call, as text. */
function describeArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return describeError(value);
  try {
    return JSON.stringify(value, (_key, member: unknown) =>
      typeof member === 'bigint' ? member.toString() : member,
    );
  } catch {
    return describeError(value);
  }
}

/** The logger shape posthog-node uses internally (`this._logger`). */
export interface PostHogLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  critical(...args: unknown[]): void;
  createLogger(prefix: string): PostHogLogger;
}

/**
 * posthog-node's own log output, redirected: through the MCP logger when one is set, else to stderr as
 * posthog-node would print it, never to stdout (where it prints `debug(true)` lines). As in posthog-node, only
 * `critical` (a shutdown timeout) is written while `isDebug()` is false.
 */
export function createPostHogLogger(
  log: Logger,
  isDebug: () => boolean,
  prefix = '[PostHog]',
): PostHogLogger {
  const write = (level: LogLevel, args: unknown[], always = false): void => {
    try {
      if (!always && !isDebug()) return;
      const message = [prefix, ...args.map(describeArgument)].join(' ');
      if (log.isSet) log[level](message);
      else process.stderr.write(`${bounded(message)}\n`);
    } catch {
      // posthog-node's logging must not reach the host either.
    }
  };
  return {
    debug: (...args) => write('debug', args),
    info: (...args) => write('debug', args),
    warn: (...args) => write('warn', args),
    error: (...args) => write('error', args),
    critical: (...args) => write('error', args, true),
    createLogger: (more) => createPostHogLogger(log, isDebug, `${prefix} ${more}`),
  };
}
