/** A log sink: receives a level and a message. Never given anything for stdout. */
export type LoggerFunction = (level: LogLevel, message: string) => void;

/** Log levels used by this package. */
export type LogLevel = 'debug' | 'warn' | 'error';

/** The `logger` option: silent by default, `'stderr'`, or a function. */
export type LoggerOption = 'silent' | 'stderr' | LoggerFunction;

/** The package's internal logger: never throws, never writes to stdout. */
export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const writeStderr: LoggerFunction = (level, message) => {
  process.stderr.write(`[posthog-mcp-analytics] ${level}: ${message}\n`);
};

/** Builds the logger for a `logger` option value. */
export function createLogger(option: LoggerOption | undefined): Logger {
  const sink = option === 'stderr' ? writeStderr : typeof option === 'function' ? option : undefined;
  const log = (level: LogLevel, message: string): void => {
    if (!sink) return;
    try {
      sink(level, message);
    } catch {
      // A failing log sink must not reach the host.
    }
  };
  return {
    debug: (message) => log('debug', message),
    warn: (message) => log('warn', message),
    error: (message) => log('error', message),
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
