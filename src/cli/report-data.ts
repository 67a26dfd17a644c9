import { EVENT, PROP } from '../events';
import { isPlainObject } from '../safe-object';
import { type EventSummary, type SummaryInputEvent, summarizeEvents, type TextCount } from './summary';

/** How many rows each list of the report shows at most; the rest is counted, not listed. */
export const REPORT_LIMITS = { tools: 40, intents: 10, texts: 20, eventNames: 20 } as const;

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket holds everything slower. */
export const LATENCY_BUCKET_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

/** One bucket of the latency histogram: calls with `fromMs <= $mcp_duration_ms < toMs`. */
export interface LatencyBucket {
  fromMs: number;
  /** `Infinity` for the last bucket. */
  toMs: number;
  count: number;
}

/** Silent failures and loops of one tool. */
export interface ToolSignals {
  /** Successful calls that returned nothing (`$mcp_empty_result: true`). */
  empty: number;
  /** Calls that repeated the one before them in the same session (`$mcp_repeat_count` ≥ 1). */
  repeated: number;
  /** The largest `$mcp_repeat_count` seen. */
  maxRepeat: number;
}

/** A gap in the events that leaves a dashboard without data, as `mcpDiagnostics()` reports it. */
export interface ReportFinding {
  property: string;
  /** What is wrong, after "N of M": `events lack \`$mcp_client_name\``; backticks mark code. */
  what: string;
  missing: number;
  of: number;
  hint: string;
}

/** Everything the HTML report shows, derived from an events file. */
export interface ReportData {
  summary: EventSummary;
  events: number;
  toolCalls: number;
  errors: number;
  /** Nearest-rank p95 of every tool call's `$mcp_duration_ms`. */
  p95Ms?: number;
  /** First and last valid `timestamp`, as ISO strings. */
  timeRange?: { from: string; to: string };
  latency: LatencyBucket[];
  /** Intents over all tool calls, most frequent first. */
  topIntents: TextCount[];
  signals: Map<string, ToolSignals>;
  /** Whether any event carried `$mcp_empty_result` / `$mcp_repeat_count` (older versions send neither). */
  sends: { emptyResult: boolean; repeatCount: boolean; errorOrigin: boolean };
  /** Failed calls and unknown-tool calls per `$mcp_error_origin` (`caller`, `tool`, `server`). */
  errorOrigins: TextCount[];
  findings: ReportFinding[];
}

function propertiesOf(event: SummaryInputEvent): Record<string, unknown> {
  return isPlainObject(event.properties) ? event.properties : {};
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

function countTexts(texts: readonly string[]): TextCount[] {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count);
}

function latencyHistogram(durations: readonly number[]): LatencyBucket[] {
  const bounds = [0, ...LATENCY_BUCKET_BOUNDS_MS, Number.POSITIVE_INFINITY];
  const buckets = bounds.slice(1).map((toMs, index) => ({ fromMs: bounds[index] ?? 0, toMs, count: 0 }));
  for (const duration of durations) {
    const bucket = buckets.find((candidate) => duration < candidate.toMs) ?? buckets[buckets.length - 1];
    if (bucket) bucket.count += 1;
  }
  const first = buckets.findIndex((bucket) => bucket.count > 0);
  const last = buckets.findLastIndex((bucket) => bucket.count > 0);
  return first < 0 ? [] : buckets.slice(first, last + 1);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function timeRangeOf(events: readonly SummaryInputEvent[]): ReportData['timeRange'] {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    const stamp = (event as { timestamp?: unknown }).timestamp;
    const time =
      typeof stamp === 'string' && ISO_TIME.test(stamp) ? Date.parse(stamp.slice(0, 40)) : Number.NaN;
    if (Number.isNaN(time)) continue;
    from = Math.min(from, time);
    to = Math.max(to, time);
  }
  return from > to ? undefined : { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

function toolSignals(calls: readonly Record<string, unknown>[]): Map<string, ToolSignals> {
  const signals = new Map<string, ToolSignals>();
  for (const properties of calls) {
    const tool = textOf(properties[PROP.toolName]) ?? '(unnamed)';
    const entry = signals.get(tool) ?? { empty: 0, repeated: 0, maxRepeat: 0 };
    if (properties[PROP.emptyResult] === true) entry.empty += 1;
    const repeat = numberOf(properties[PROP.repeatCount]) ?? 0;
    if (repeat >= 1) entry.repeated += 1;
    entry.maxRepeat = Math.max(entry.maxRepeat, repeat);
    signals.set(tool, entry);
  }
  return signals;
}

interface Check {
  property: string;
  /** Set for checks other than "the property is absent". */
  what?: string;
  isMissing?: (properties: Record<string, unknown>, sessionSizes: Map<string, number>) => boolean;
  toolCallsOnly: boolean;
  hint: string;
}

const CHECKS: readonly Check[] = [
  {
    property: PROP.clientName,
    toolCallsOnly: false,
    hint: 'Pass `session` ({ connection } remembers initialize) or mint session tokens, or have clients send _meta clientInfo.',
  },
  {
    property: PROP.clientUserAgent,
    toolCallsOnly: false,
    hint: 'Pass the HTTP request `headers`; expected to be missing on stdio.',
  },
  {
    property: PROP.protocolVersion,
    toolCallsOnly: false,
    hint: 'Pass `headers` (MCP-Protocol-Version) or `session` so the initialize is remembered.',
  },
  {
    property: PROP.sessionId,
    what: `events are alone in their \`${PROP.sessionId}\``,
    isMissing: (properties, sizes) => (sizes.get(textOf(properties[PROP.sessionId]) ?? '') ?? 0) <= 1,
    toolCallsOnly: false,
    hint: 'If each request gets a fresh id, pass `session` (Mcp-Session-Id or { connection }), keep conversationAnchoring on, or mint session tokens.',
  },
  {
    property: PROP.processPersonProfile,
    what: `events are anonymous (\`${PROP.processPersonProfile}: false\`)`,
    isMissing: (properties) => properties[PROP.processPersonProfile] === false,
    toolCallsOnly: false,
    hint: 'Pass `identify` (router) or `identity` (call step) to attach a person.',
  },
  {
    property: PROP.intent,
    toolCallsOnly: true,
    hint: 'Keep the `context` option on and advertise the decorated tools/list, or set `intentFallback`.',
  },
  {
    property: PROP.llmModel,
    toolCallsOnly: true,
    hint: 'Keep `captureModel` on and advertise the decorated tools/list (clients may also send it in _meta).',
  },
];

function whatOf(check: Check): string {
  return check.what ?? `${check.toolCallsOnly ? 'tool calls' : 'events'} lack \`${check.property}\``;
}

function isMissing(check: Check, properties: Record<string, unknown>, sizes: Map<string, number>): boolean {
  return check.isMissing ? check.isMissing(properties, sizes) : properties[check.property] === undefined;
}

/** The gaps `mcpDiagnostics()` would list, derived from the events themselves (siblings excluded). */
function findingsOf(events: readonly SummaryInputEvent[]): ReportFinding[] {
  const inspected = events.filter((event) => event.event !== EVENT.exception && event.event !== EVENT.aiSpan);
  const sizes = new Map<string, number>();
  for (const event of inspected) {
    const session = textOf(propertiesOf(event)[PROP.sessionId]) ?? '';
    sizes.set(session, (sizes.get(session) ?? 0) + 1);
  }
  return CHECKS.map((check) => {
    const applies = check.toolCallsOnly
      ? inspected.filter((event) => event.event === EVENT.toolCall)
      : inspected;
    const missing = applies.filter((event) => isMissing(check, propertiesOf(event), sizes)).length;
    return { property: check.property, what: whatOf(check), missing, of: applies.length, hint: check.hint };
  })
    .filter((finding) => finding.missing > 0)
    .sort((a, b) => b.missing / b.of - a.missing / a.of);
}

/** Derives what the HTML report shows from parsed events: the summary plus histogram, signals and findings. */
export function buildReportData(events: readonly SummaryInputEvent[]): ReportData {
  const calls = events.filter((event) => event.event === EVENT.toolCall).map(propertiesOf);
  const durations = calls.flatMap((call) => numberOf(call[PROP.durationMs]) ?? []).sort((a, b) => a - b);
  const failed = calls.filter((call) => call[PROP.isError] === true);
  const p95Ms = nearestRank(durations, 95);
  const timeRange = timeRangeOf(events);
  const carries = (key: string) => events.some((event) => propertiesOf(event)[key] !== undefined);
  const unknownTools = events.filter((event) => event.event === EVENT.unknownTool).map(propertiesOf);
  return {
    summary: summarizeEvents(events),
    events: events.length,
    toolCalls: calls.length,
    errors: failed.length,
    ...(p95Ms === undefined ? {} : { p95Ms }),
    ...(timeRange ? { timeRange } : {}),
    latency: latencyHistogram(durations),
    topIntents: countTexts(calls.flatMap((call) => textOf(call[PROP.intent]) ?? [])),
    signals: toolSignals(calls),
    sends: {
      emptyResult: carries(PROP.emptyResult),
      repeatCount: carries(PROP.repeatCount),
      errorOrigin: carries(PROP.errorOrigin),
    },
    errorOrigins: countTexts(
      [...failed, ...unknownTools].flatMap((properties) => textOf(properties[PROP.errorOrigin]) ?? []),
    ),
    findings: findingsOf(events),
  };
}
