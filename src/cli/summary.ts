import { EVENT, PROP } from '../events';
import {
  clip,
  escapeTerminalText,
  formatMs,
  MAX_SHOWN_NAME_CHARS,
  readNumber,
  readString,
  type SummaryInputEvent,
} from './summary-text';

export { escapeTerminalText, formatEventLine, type SummaryInputEvent } from './summary-text';

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
  /** Successful calls whose result was empty (`$mcp_empty_result`). */
  emptyResults: number;
  /** Calls that repeated the one before them in their session (`$mcp_repeat_count` above 0). */
  repeats: number;
  /** Failed calls by who erred (`$mcp_error_origin`). */
  errorOrigins: { caller: number; tool: number; server: number };
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

function countOrigins(calls: readonly SummaryInputEvent[]): ToolSummary['errorOrigins'] {
  const origins = { caller: 0, tool: 0, server: 0 };
  for (const call of calls) {
    const origin = readString(call, PROP.errorOrigin);
    if (origin === 'caller' || origin === 'tool' || origin === 'server') origins[origin] += 1;
  }
  return origins;
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
    emptyResults: calls.filter((call) => call.properties?.[PROP.emptyResult] === true).length,
    repeats: calls.filter((call) => (readNumber(call, PROP.repeatCount) ?? 0) > 0).length,
    errorOrigins: countOrigins(calls),
  };
}

/**
 * Summarizes events: counts per event name, per-tool calls, error rate and who erred, empty results, repeats,
 * p50/p95 duration and top intents.
 */
export function summarizeEvents(events: readonly SummaryInputEvent[]): EventSummary {
  const byTool = new Map<string, SummaryInputEvent[]>();
  const sessions = new Set<string>();
  for (const event of events) {
    const session = readString(event, PROP.sessionId);
    if (session) sessions.add(session);
    if (event.event !== EVENT.toolCall) continue;
    const tool = readString(event, PROP.toolName) ?? '(unnamed)';
    const calls = byTool.get(tool);
    if (calls) calls.push(event);
    else byTool.set(tool, [event]);
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
 * Formats a summary as a plain-text table per tool (calls, errors, errors by caller/tool/server, empty results,
 * repeats, durations, intents), followed by missing capabilities and unknown tools; names are shortened and
 * every text from the events is escaped with {@link escapeTerminalText}.
 */
export function formatSummary(summary: EventSummary): string {
  const header = ['tool', 'calls', 'errors', 'error rate', 'caller/tool/server', 'empty', 'repeats'].concat([
    'p50 ms',
    'p95 ms',
    'top intents',
  ]);
  const rows = summary.tools.map((tool) => {
    const { caller, tool: own, server } = tool.errorOrigins;
    return [
      escapeTerminalText(clip(tool.tool, MAX_SHOWN_NAME_CHARS)),
      String(tool.calls),
      String(tool.errors),
      `${Math.round(tool.errorRate * 1000) / 10}%`,
      `${caller}/${own}/${server}`,
      String(tool.emptyResults),
      String(tool.repeats),
      formatMs(tool.p50Ms),
      formatMs(tool.p95Ms),
      formatCounts(tool.topIntents) || '-',
    ];
  });
  const totals = summary.eventCounts
    .map(({ text, count }) => `${escapeTerminalText(clip(text, MAX_SHOWN_NAME_CHARS))} ${count}`)
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
