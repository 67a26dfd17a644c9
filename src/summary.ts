import { EVENT, PROP } from './events';

/** The part of a wire event the summary reads (a `SinkEvent` or a line of an events JSONL file). */
export interface SummaryInputEvent {
  event: string;
  properties?: Record<string, unknown>;
}

/** A count of one distinct text, such as an intent or a missing-capability report. */
export interface TextCount {
  text: string;
  count: number;
}

/** Per-tool figures over the `$mcp_tool_call` events. */
export interface ToolSummary {
  tool: string;
  calls: number;
  errors: number;
  /** `errors / calls`, from 0 to 1. */
  errorRate: number;
  /** Median `$mcp_duration_ms` (nearest rank), when any call carried one. */
  p50Ms?: number;
  /** 95th percentile `$mcp_duration_ms` (nearest rank), when any call carried one. */
  p95Ms?: number;
  /** The most frequent intents, most frequent first (at most {@link TOP_INTENTS}). */
  topIntents: TextCount[];
}

/** What a set of events says, per tool and overall. */
export interface EventSummary {
  /** How many events of each name, in first-seen order. */
  eventCounts: TextCount[];
  /** How many distinct `$session_id` values. */
  sessions: number;
  /** One row per tool, most called first. */
  tools: ToolSummary[];
  /** The `get_more_tools` reports (`$mcp_missing_capability` intents), most frequent first. */
  missingCapabilities: TextCount[];
  /** Names of tools the server did not have (`$mcp_unknown_tool`), most frequent first. */
  unknownTools: TextCount[];
}

/** How many intents a tool row lists. */
export const TOP_INTENTS = 3;

/** Session ids are shown as their prefix and last characters: `ses_<UUIDv7>` ids differ only at the end. */
const SESSION_TAIL_CHARS = 8;
const SHORT_SESSION_CHARS = 4 + 1 + SESSION_TAIL_CHARS;
const MAX_INTENT_CHARS = 60;

function readString(event: SummaryInputEvent, key: string): string | undefined {
  const value = event.properties?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readNumber(event: SummaryInputEvent, key: string): number | undefined {
  const value = event.properties?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Returns the nearest-rank percentile `p` (0–100) of `values`, or `undefined` when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Counts each distinct text, in first-seen order. */
function tally(texts: readonly string[]): TextCount[] {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts].map(([text, count]) => ({ text, count }));
}

/** Counts each distinct text, most frequent first (ties in first-seen order). */
function countTexts(texts: readonly string[], limit = Number.POSITIVE_INFINITY): TextCount[] {
  return tally(texts)
    .sort((a, b) => b.count - a.count)
    .slice(0, limit);
}

function summarizeTool(tool: string, calls: readonly SummaryInputEvent[]): ToolSummary {
  const errors = calls.filter((call) => call.properties?.[PROP.isError] === true).length;
  const durations = calls.flatMap((call) => readNumber(call, PROP.durationMs) ?? []);
  const intents = calls.flatMap((call) => readString(call, PROP.intent) ?? []);
  const p50Ms = percentile(durations, 50);
  const p95Ms = percentile(durations, 95);
  return {
    tool,
    calls: calls.length,
    errors,
    errorRate: calls.length === 0 ? 0 : errors / calls.length,
    ...(p50Ms === undefined ? {} : { p50Ms }),
    ...(p95Ms === undefined ? {} : { p95Ms }),
    topIntents: countTexts(intents, TOP_INTENTS),
  };
}

/** Summarizes events: counts per event name, per-tool calls, error rate, p50/p95 duration and top intents. */
export function summarizeEvents(events: readonly SummaryInputEvent[]): EventSummary {
  const byTool = new Map<string, SummaryInputEvent[]>();
  const sessions = new Set<string>();
  for (const event of events) {
    const session = readString(event, PROP.sessionId);
    if (session) sessions.add(session);
    if (event.event !== EVENT.toolCall) continue;
    const tool = readString(event, PROP.toolName) ?? '(unnamed)';
    byTool.set(tool, [...(byTool.get(tool) ?? []), event]);
  }
  const namedTexts = (name: string, key: string) =>
    events.filter((event) => event.event === name).flatMap((event) => readString(event, key) ?? []);
  return {
    eventCounts: tally(events.map((event) => event.event)),
    sessions: sessions.size,
    tools: [...byTool].map(([tool, calls]) => summarizeTool(tool, calls)).sort((a, b) => b.calls - a.calls),
    missingCapabilities: countTexts(namedTexts(EVENT.missingCapability, PROP.intent)),
    unknownTools: countTexts(namedTexts(EVENT.unknownTool, PROP.toolName)),
  };
}

/**
 * Characters a terminal could act on or reorder: C0 and C1 controls and DEL, bidirectional overrides,
 * embeddings and isolates, line and paragraph separators, and (in `u` mode) lone surrogates.
 */
const TERMINAL_UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text safe to print to a terminal: each character in {@link TERMINAL_UNSAFE} becomes its `\uXXXX` escape,
 * so event data cannot move the cursor, retitle the window, hide text or reorder a line.
 *
 * @example
 * escapeTerminalText('a\u001b[2Jb'); // 'a\\u001b[2Jb'
 */
export function escapeTerminalText(text: string): string {
  return text.replace(
    TERMINAL_UNSAFE,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

function formatMs(value: number | undefined): string {
  if (value === undefined) return '-';
  return value >= 100 ? `${Math.round(value)}` : `${Math.round(value * 10) / 10}`;
}

function shortSession(id: string): string {
  return id.length <= SHORT_SESSION_CHARS ? id : `${id.slice(0, 4)}…${id.slice(-SESSION_TAIL_CHARS)}`;
}

/** The type of the first exception of an `$exception` event. */
function exceptionType(event: SummaryInputEvent): string | undefined {
  const list = event.properties?.[PROP.exceptionList];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  const type = typeof first === 'object' && first !== null ? (first as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type !== '' ? type : undefined;
}

/**
 * Formats one event as a single readable line: name, tool, short session, duration, error type and intent,
 * each text escaped with {@link escapeTerminalText}.
 *
 * @example
 * formatEventLine(event); // '$mcp_tool_call   search_docs   ses_…ad6c65a0   4.2 ms  ok   "find the refund policy"'
 */
export function formatEventLine(event: SummaryInputEvent): string {
  const tool =
    readString(event, PROP.toolName) ??
    readString(event, PROP.resourceName) ??
    readString(event, PROP.promptName);
  const session = readString(event, PROP.sessionId);
  const duration = readNumber(event, PROP.durationMs);
  const isError = event.properties?.[PROP.isError];
  const outcome =
    readString(event, PROP.errorType) ?? exceptionType(event) ?? (isError === false ? 'ok' : '-');
  const intent = readString(event, PROP.intent) ?? readString(event, PROP.feedbackSummary);
  return [
    escapeTerminalText(event.event).padEnd(24),
    escapeTerminalText(tool ?? '-').padEnd(17),
    escapeTerminalText(session ? shortSession(session) : '-').padEnd(SHORT_SESSION_CHARS),
    `${duration === undefined ? '-' : `${formatMs(duration)} ms`}`.padStart(9),
    escapeTerminalText(outcome).padEnd(13),
    intent ? escapeTerminalText(JSON.stringify(clip(intent, MAX_INTENT_CHARS))) : '',
  ]
    .join('  ')
    .trimEnd();
}

function formatTable(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column === 0 || column === row.length - 1
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

function formatCounts(counts: readonly TextCount[]): string {
  return counts
    .map(
      ({ text, count }) =>
        `${escapeTerminalText(JSON.stringify(clip(text, 40)))}${count > 1 ? ` ×${count}` : ''}`,
    )
    .join(', ');
}

/**
 * Formats a summary as a plain-text table per tool, followed by missing capabilities and unknown tools;
 * every text from the events is escaped with {@link escapeTerminalText}.
 */
export function formatSummary(summary: EventSummary): string {
  const header = ['tool', 'calls', 'errors', 'error rate', 'p50 ms', 'p95 ms', 'top intents'];
  const rows = summary.tools.map((tool) => [
    escapeTerminalText(tool.tool),
    String(tool.calls),
    String(tool.errors),
    `${Math.round(tool.errorRate * 1000) / 10}%`,
    formatMs(tool.p50Ms),
    formatMs(tool.p95Ms),
    formatCounts(tool.topIntents) || '-',
  ]);
  const totals = summary.eventCounts
    .map(({ text, count }) => `${escapeTerminalText(text)} ${count}`)
    .join(', ');
  const lines = [`${summary.sessions} session(s); events: ${totals || 'none'}`, ''];
  lines.push(...(rows.length > 0 ? formatTable([header, ...rows]) : ['no tool calls']));
  const missing = summary.missingCapabilities.map(
    ({ text, count }) => `  ${count} × ${escapeTerminalText(JSON.stringify(clip(text, 100)))}`,
  );
  lines.push('', `missing capabilities (${summary.missingCapabilities.length}):`, ...missing);
  if (summary.unknownTools.length > 0) lines.push('', `unknown tools: ${formatCounts(summary.unknownTools)}`);
  return lines.join('\n');
}

/** Parses JSONL text into events, skipping blank lines and reporting the 1-based numbers of lines that are not events. */
export function parseEventLines(text: string): { events: SummaryInputEvent[]; invalidLines: number[] } {
  const events: SummaryInputEvent[] = [];
  const invalidLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const parsed: unknown = JSON.parse(line);
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof (parsed as SummaryInputEvent).event === 'string'
      ) {
        events.push(parsed as SummaryInputEvent);
      } else invalidLines.push(index + 1);
    } catch {
      invalidLines.push(index + 1);
    }
  });
  return { events, invalidLines };
}
