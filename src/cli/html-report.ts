import { createHash } from 'node:crypto';
import { cleanText, escapeHtml, formatCount, formatMs, formatPercent, safeText } from './html-text';
import { buildReportData, REPORT_LIMITS, type ReportData, type ToolSignals } from './report-data';
import { REPORT_CSS } from './report-style';
import type { SummaryInputEvent, TextCount, ToolSummary } from './summary';
import { barSvg, histogramSvg, latencyBarSvg } from './svg-charts';

/** Longest tool name, intent or other event text shown, in UTF-16 units. */
const MAX_NAME_CHARS = 80;
const MAX_TEXT_CHARS = 160;
const MAX_CELL_INTENT_CHARS = 60;

/** The strict policy of the page: no scripts, no network, only its own hashed stylesheet. */
function contentSecurityPolicy(): string {
  const styleHash = createHash('sha256').update(REPORT_CSS).digest('base64');
  return `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
}

function more(hidden: number, what: string): string {
  return hidden > 0 ? `<p class="note muted">… and ${formatCount(hidden)} more ${what} not shown.</p>` : '';
}

function section(head: { id: string; title: string; note: string }, body: string): string {
  const { id, title, note } = head;
  return `<section id="${id}"><h2>${title}</h2>${note ? `<p class="note">${note}</p>` : ''}${body}</section>`;
}

function countList(counts: readonly TextCount[], options: { what: string; emptyText: string }): string {
  if (counts.length === 0) return `<p class="empty">${options.emptyText}</p>`;
  const shown = counts.slice(0, REPORT_LIMITS.texts);
  const max = shown[0]?.count ?? 1;
  const items = shown.map(({ text, count }) => {
    const label = `${cleanText(text, MAX_NAME_CHARS)}: ${count}`;
    return (
      `<li><span class="text">${safeText(text, MAX_TEXT_CHARS)}</span>` +
      `<span class="n">×${formatCount(count)}</span>${barSvg({ kind: 'text', value: count, max, label, stretch: true })}</li>`
    );
  });
  return `<ol class="counts">${items.join('')}</ol>${more(counts.length - shown.length, options.what)}`;
}

function stat(label: string, value: string, bad = false): string {
  return `<div class="stat${bad ? ' bad' : ''}"><b>${value}</b><span>${label}</span></div>`;
}

function renderHeader(data: ReportData, source: string): string {
  const range = data.timeRange ? ` · ${data.timeRange.from} – ${data.timeRange.to}` : '';
  const errorRate = data.toolCalls === 0 ? 0 : data.errors / data.toolCalls;
  return (
    `<header><h1>MCP analytics report</h1><p>${safeText(source, MAX_TEXT_CHARS)}${escapeHtml(range)}</p></header>` +
    `<div class="stats">${[
      stat('Events', formatCount(data.events)),
      stat('Sessions', formatCount(data.summary.sessions)),
      stat('Tool calls', formatCount(data.toolCalls)),
      stat('Error rate', formatPercent(errorRate), data.errors > 0),
      stat('p95 latency', escapeHtml(formatMs(data.p95Ms))),
      stat('Missing capabilities', formatCount(data.summary.missingCapabilities.length)),
    ].join('')}</div>`
  );
}

function toolRow(tool: ToolSummary, scale: { maxCalls: number; maxMs: number }, data: ReportData): string {
  const { maxCalls, maxMs } = scale;
  const name = cleanText(tool.tool, MAX_NAME_CHARS);
  const signals: ToolSignals = data.signals.get(tool.tool) ?? { empty: 0, repeated: 0, maxRepeat: 0 };
  const latency = `p50 ${formatMs(tool.p50Ms)} · p95 ${formatMs(tool.p95Ms)}`;
  const intents = tool.topIntents
    .map(({ text, count }) => `${safeText(text, MAX_CELL_INTENT_CHARS)}${count > 1 ? ` ×${count}` : ''}`)
    .join('<br>');
  const repeats = data.sends.repeatCount
    ? `${formatCount(signals.repeated)}${signals.maxRepeat > 1 ? ` (max ×${signals.maxRepeat})` : ''}`
    : '–';
  return (
    `<tr class="tool-row" data-tool="${escapeHtml(name)}">` +
    `<th scope="row" class="tool">${escapeHtml(name)}</th>` +
    `<td><div class="cell">${barSvg({ kind: 'calls', value: tool.calls, max: maxCalls, label: `${name}: ${tool.calls} calls` })}${formatCount(tool.calls)}</div></td>` +
    `<td><div class="cell">${barSvg({ kind: 'error', value: tool.errorRate, max: 1, label: `${name}: error rate ${formatPercent(tool.errorRate)}` })}${formatPercent(tool.errorRate)} <span class="muted">(${formatCount(tool.errors)})</span></div></td>` +
    `<td><div class="cell">${latencyBarSvg({ ...tool, maxMs, label: `${name}: ${latency}` })}${escapeHtml(latency)}</div></td>` +
    `<td class="num">${data.sends.emptyResult ? formatCount(signals.empty) : '–'}</td>` +
    `<td class="num">${repeats}</td>` +
    `<td class="intents">${intents || '<span class="muted">–</span>'}</td></tr>`
  );
}

function renderTools(data: ReportData): string {
  const tools = data.summary.tools;
  if (tools.length === 0)
    return section(
      { id: 'tools', title: 'Tools', note: '' },
      '<p class="empty">No tool calls in this file.</p>',
    );
  const shown = tools.slice(0, REPORT_LIMITS.tools);
  const maxCalls = shown[0]?.calls ?? 1;
  const maxMs = Math.max(...shown.map((tool) => tool.p95Ms ?? 0), 1);
  const legend =
    'Calls, error rate and latency per tool, most called first. Latency: ' +
    '<span class="legend"><span class="swatch p50"></span>p50</span>' +
    '<span class="legend"><span class="swatch p95"></span>p95</span>';
  const head =
    '<thead><tr><th>Tool</th><th>Calls</th><th>Error rate</th><th>Latency</th>' +
    '<th class="num">Empty</th><th class="num">Repeats</th><th>Top intents</th></tr></thead>';
  const rows = shown.map((tool) => toolRow(tool, { maxCalls, maxMs }, data)).join('');
  return section(
    { id: 'tools', title: 'Tools', note: legend },
    `<table>${head}<tbody>${rows}</tbody></table>${more(tools.length - shown.length, 'tools')}`,
  );
}

function renderLatency(data: ReportData): string {
  const body =
    data.latency.length === 0
      ? '<p class="empty">No tool call carried a duration.</p>'
      : histogramSvg(data.latency);
  return section(
    { id: 'latency', title: 'Latency', note: 'How long tool calls took (<code>$mcp_duration_ms</code>).' },
    body,
  );
}

function renderSignals(data: ReportData): string {
  const note =
    'Successful calls that returned nothing (<code>$mcp_empty_result</code>) and calls that repeated the one ' +
    'before them in the same session (<code>$mcp_repeat_count</code>): agents failing silently or stuck in a loop.';
  if (!data.sends.emptyResult && !data.sends.repeatCount) {
    const body =
      '<p class="empty">None: these events carry neither <code>$mcp_empty_result</code> nor ' +
      '<code>$mcp_repeat_count</code> (sent by newer versions of posthog-mcp-analytics).</p>';
    return section({ id: 'signals', title: 'Empty results and repeats', note: note }, body);
  }
  const rows = [...data.signals]
    .filter(([, signals]) => signals.empty > 0 || signals.repeated > 0)
    .sort(([, a], [, b]) => b.empty + b.repeated - (a.empty + a.repeated));
  const shown = rows
    .slice(0, REPORT_LIMITS.texts)
    .map(
      ([tool, signals]) =>
        `<tr><th scope="row" class="tool">${safeText(tool, MAX_NAME_CHARS)}</th>` +
        `<td class="num">${formatCount(signals.empty)}</td><td class="num">${formatCount(signals.repeated)}</td>` +
        `<td class="num">${signals.maxRepeat > 0 ? `×${formatCount(signals.maxRepeat)}` : '–'}</td></tr>`,
    );
  const body =
    shown.length === 0
      ? '<p class="empty">None: no empty results and no repeated calls.</p>'
      : '<table><thead><tr><th>Tool</th><th class="num">Empty results</th><th class="num">Repeated calls</th><th class="num">Longest repeat</th>' +
        `</tr></thead><tbody>${shown.join('')}</tbody></table>${more(rows.length - shown.length, 'tools')}`;
  return section({ id: 'signals', title: 'Empty results and repeats', note: note }, body);
}

function renderFindings(data: ReportData): string {
  const note =
    'What dashboards will lack, with what to change in the integration (as <code>mcpDiagnostics()</code>).';
  if (data.findings.length === 0) {
    return section(
      { id: 'diagnostics', title: 'Diagnostics', note: note },
      '<p class="empty">Nothing missing.</p>',
    );
  }
  const code = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
  const items = data.findings.map(
    (finding) =>
      `<div class="finding"><span class="share">${formatCount(finding.missing)} of ${formatCount(finding.of)}</span> ` +
      `${code(finding.what)}<br><span class="muted">${code(finding.hint)}</span></div>`,
  );
  return section({ id: 'diagnostics', title: 'Diagnostics', note: note }, items.join(''));
}

function renderPanels(data: ReportData): string {
  const intents = countList(data.topIntents.slice(0, REPORT_LIMITS.intents), {
    what: 'intents',
    emptyText: 'No tool call carried an intent.',
  });
  const origins = data.sends.errorOrigin
    ? countList(data.errorOrigins, { what: 'origins', emptyText: 'No failed calls.' })
    : '<p class="empty">None: these events carry no <code>$mcp_error_origin</code>.</p>';
  const missing = countList(data.summary.missingCapabilities, {
    what: 'reports',
    emptyText: 'None reported.',
  });
  const unknown = countList(data.summary.unknownTools, { what: 'names', emptyText: 'None.' });
  const panels = [
    section(
      { id: 'intents', title: 'Top intents', note: 'What agents said they were trying to do.' },
      intents,
    ),
    section(
      {
        id: 'missing-capabilities',
        title: 'Missing capabilities',
        note: 'What agents asked for through <code>get_more_tools</code>: unmet demand.',
      },
      missing,
    ),
    section(
      {
        id: 'unknown-tools',
        title: 'Unknown tools',
        note: 'Tools agents called that the server does not have.',
      },
      unknown,
    ),
    section(
      {
        id: 'error-origins',
        title: 'Errors by origin',
        note: 'Caller mistakes, tool failures and server errors.',
      },
      origins,
    ),
  ];
  return `<div class="grid">${panels.join('')}</div>`;
}

/** Renders the report as one self-contained HTML page: inline SVG and CSS, no scripts, no external resources. */
export function renderHtmlReport(data: ReportData, options: { source: string }): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    '<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>MCP analytics report</title><style>${REPORT_CSS}</style></head><body><main>`,
    renderHeader(data, options.source),
    renderTools(data),
    renderLatency(data),
    renderPanels(data),
    renderSignals(data),
    renderFindings(data),
    '<footer>Written by <code>posthog-mcp-analytics summarize --html</code>. ',
    'One file: no scripts, no network requests.</footer></main></body></html>\n',
  ].join('');
}

/** Builds the report data from parsed events and renders the page; `source` names the file in the header. */
export function createHtmlReport(events: readonly SummaryInputEvent[], options: { source: string }): string {
  return renderHtmlReport(buildReportData(events), options);
}
