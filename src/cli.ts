#!/usr/bin/env node
import { readFile, writeFile } from 'node:fs/promises';
import { createHtmlReport } from './cli/html-report';
import {
  escapeTerminalText,
  formatEventLine,
  formatSummary,
  parseEventLines,
  summarizeEvents,
} from './summary';

const USAGE = `Usage: posthog-mcp-analytics summarize <events.jsonl> [--events] [--html <report.html>]

Prints a per-tool summary (calls, error rate, p50/p95 duration, top intents) and the
missing capabilities reported, for a JSONL file of events written by createEventSink({ file })
or by \`npm run demo\`. Use "-" to read standard input.

Options:
  --events       also print one line per event before the summary
  --html <file>  also write the report as one self-contained HTML page (no scripts, no network)
  -h, --help     show this help
`;

/** Where the CLI writes, and how it reads a file. */
interface CliIO {
  out(text: string): void;
  err(text: string): void;
  read(path: string): Promise<string>;
  write(path: string, text: string): Promise<void>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const defaultIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  read: (path) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
  write: (path, text) => writeFile(path, text),
};

async function summarize(allArgs: readonly string[], io: CliIO): Promise<number> {
  const htmlAt = allArgs.indexOf('--html');
  const htmlFile = htmlAt < 0 ? undefined : allArgs[htmlAt + 1];
  if (htmlAt >= 0 && (htmlFile === undefined || htmlFile.startsWith('-')))
    return fail(io, '--html needs a file');
  const args = htmlAt < 0 ? allArgs : allArgs.filter((_, index) => index !== htmlAt && index !== htmlAt + 1);
  const unknown = args.find((arg) => arg.startsWith('-') && arg !== '-' && arg !== '--events');
  const files = args.filter((arg) => !arg.startsWith('-') || arg === '-');
  if (unknown !== undefined) return fail(io, `unknown option ${escapeTerminalText(unknown)}`);
  if (files.length !== 1) return fail(io, 'summarize needs exactly one file');
  const file = files[0] ?? '-';
  let text: string;
  try {
    text = await io.read(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.err(`posthog-mcp-analytics: cannot read ${escapeTerminalText(file)}: ${escapeTerminalText(reason)}\n`);
    return 1;
  }
  const { events, invalidLines } = parseEventLines(text);
  if (invalidLines.length > 0) {
    const shown = invalidLines.slice(0, 5).join(', ');
    io.err(
      `posthog-mcp-analytics: skipped ${invalidLines.length} line(s) that are not JSON events: ${shown}\n`,
    );
  }
  if (events.length === 0) {
    io.err(`posthog-mcp-analytics: no events in ${escapeTerminalText(file)}\n`);
    return 1;
  }
  if (args.includes('--events')) io.out(`${events.map(formatEventLine).join('\n')}\n\n`);
  io.out(`${formatSummary(summarizeEvents(events))}\n`);
  if (htmlFile === undefined) return 0;
  try {
    await io.write(htmlFile, createHtmlReport(events, { source: file === '-' ? 'standard input' : file }));
  } catch (error) {
    io.err(
      `posthog-mcp-analytics: cannot write ${htmlFile}: ${error instanceof Error ? error.message : error}\n`,
    );
    return 1;
  }
  io.err(`posthog-mcp-analytics: wrote the HTML report to ${htmlFile}\n`);
  return 0;
}

function fail(io: CliIO, message: string): number {
  io.err(`posthog-mcp-analytics: ${message}\n\n${USAGE}`);
  return 2;
}

/** Runs the command line `args` (without `node` and the script) and resolves to the exit code. */
async function runCli(args: readonly string[], io: CliIO = defaultIO): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command === 'summarize') {
    if (rest.includes('-h') || rest.includes('--help')) {
      io.out(USAGE);
      return 0;
    }
    return summarize(rest, io);
  }
  return fail(io, `unknown command ${escapeTerminalText(JSON.stringify(command))}`);
}

/** A reader that stopped reading (`summarize --events | head -1`) ends the command quietly, as `cat` would. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

exitQuietlyOnClosedPipe(process.stdout);
exitQuietlyOnClosedPipe(process.stderr);

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`posthog-mcp-analytics: ${escapeTerminalText(String(error))}\n`);
    process.exitCode = 1;
  },
);
