#!/usr/bin/env node
import { readFile, writeFile } from 'node:fs/promises';
import { createHtmlReport } from './html-report';
import {
  escapeTerminalText,
  formatEventLine,
  formatSummary,
  parseEventLines,
  type SummaryInputEvent,
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

const out = (text: string): void => void process.stdout.write(text);
const err = (text: string): void => void process.stderr.write(text);
const safe = (text: unknown): string =>
  escapeTerminalText(text instanceof Error ? text.message : String(text));

async function read(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function fail(message: string): number {
  err(`posthog-mcp-analytics: ${message}\n\n${USAGE}`);
  return 2;
}

/** `summarize`'s arguments: the one file, `--events`, and `--html <file>`; a string is a usage error. */
function parseSummarizeArgs(
  all: readonly string[],
): { file: string; events: boolean; html?: string } | string {
  const htmlAt = all.indexOf('--html');
  const html = htmlAt < 0 ? undefined : all[htmlAt + 1];
  if (htmlAt >= 0 && (html === undefined || html.startsWith('-'))) return '--html needs a file';
  const args = htmlAt < 0 ? all : all.filter((_, index) => index !== htmlAt && index !== htmlAt + 1);
  const unknown = args.find((arg) => arg.startsWith('-') && arg !== '-' && arg !== '--events');
  if (unknown !== undefined) return `unknown option ${safe(unknown)}`;
  const files = args.filter((arg) => !arg.startsWith('-') || arg === '-');
  if (files.length !== 1) return 'summarize needs exactly one file';
  const parsed = { file: files[0] ?? '-', events: args.includes('--events') };
  return html === undefined ? parsed : { ...parsed, html };
}

async function writeReport(html: string, events: SummaryInputEvent[], file: string): Promise<number> {
  try {
    await writeFile(html, createHtmlReport(events, { source: file === '-' ? 'standard input' : file }));
  } catch (error) {
    err(`posthog-mcp-analytics: cannot write ${safe(html)}: ${safe(error)}\n`);
    return 1;
  }
  err(`posthog-mcp-analytics: wrote the HTML report to ${safe(html)}\n`);
  return 0;
}

async function summarize(all: readonly string[]): Promise<number> {
  const args = parseSummarizeArgs(all);
  if (typeof args === 'string') return fail(args);
  let text: string;
  try {
    text = await read(args.file);
  } catch (error) {
    err(`posthog-mcp-analytics: cannot read ${safe(args.file)}: ${safe(error)}\n`);
    return 1;
  }
  const { events, invalidLines } = parseEventLines(text);
  if (invalidLines.length > 0) {
    const shown = invalidLines.slice(0, 5).join(', ');
    err(`posthog-mcp-analytics: skipped ${invalidLines.length} line(s) that are not JSON events: ${shown}\n`);
  }
  if (events.length === 0) {
    err(`posthog-mcp-analytics: no events in ${safe(args.file)}\n`);
    return 1;
  }
  if (args.events) out(`${events.map(formatEventLine).join('\n')}\n\n`);
  out(`${formatSummary(summarizeEvents(events))}\n`);
  return args.html === undefined ? 0 : writeReport(args.html, events, args.file);
}

/** Runs the command line `args` (without `node` and the script) and resolves to the exit code. */
async function runCli(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) return fail('a command is needed');
  const help = (list: readonly string[]) =>
    list.includes('-h') || list.includes('--help') || list[0] === 'help';
  if (help([command]) || (command === 'summarize' && help(rest))) {
    out(USAGE);
    return 0;
  }
  if (command === 'summarize') return summarize(rest);
  return fail(`unknown command ${safe(JSON.stringify(command))}`);
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
