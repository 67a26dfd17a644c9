/** The report's whole stylesheet: system fonts only, light and dark schemes, no external resources. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --ink: #1d1f27; --muted: #5f6472;
  --line: #e3e5ea; --track: #eceef2; --calls: #2f6fed; --error: #e5484d; --p50: #1f8a70; --p95: #9fd8c7;
  --accent: #f7a501; }
@media (prefers-color-scheme: dark) { :root { --bg: #15171c; --card: #1e2128; --ink: #eceef2;
  --muted: #a0a6b4; --line: #2e323c; --track: #2a2e37; --p95: #2f6f5e; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 24px; letter-spacing: -0.01em; }
header p { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 20px 0 8px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.stat b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.stat span { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.stat.bad b { color: var(--error); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px;
  margin-top: 16px; overflow-x: auto; }
section h2 { margin: 0 0 4px; font-size: 16px; }
section > p.note { margin: 0 0 12px; color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 16px; }
.grid > section { margin-top: 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px 6px 0; border-bottom: 1px solid var(--line); vertical-align: middle; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; }
tbody tr:last-child > * { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.cell { display: flex; align-items: center; gap: 8px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.tool { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px;
  overflow-wrap: anywhere; min-width: 140px; max-width: 220px; }
.intents { color: var(--muted); font-size: 12px; min-width: 180px; max-width: 300px; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.bar { flex: none; display: block; }
.bar .track { fill: var(--track); }
.calls-bar .fill, .intent-bar .fill, .text-bar .fill { fill: var(--calls); }
.error-bar .fill { fill: var(--error); }
.latency-bar .p95 { fill: var(--p95); }
.latency-bar .p50 { fill: var(--p50); }
.legend { display: inline-flex; align-items: center; gap: 4px; margin-right: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
.swatch.p50 { background: var(--p50); }
.swatch.p95 { background: var(--p95); }
.histogram { max-width: 100%; height: auto; }
.histogram .fill { fill: var(--calls); }
.histogram .baseline { stroke: var(--line); }
.histogram text { fill: var(--muted); font-size: 11px; }
.histogram text.count { fill: var(--ink); font-weight: 600; }
ol.counts { margin: 0; padding: 0; list-style: none; }
ol.counts li { display: grid; grid-template-columns: 1fr auto; align-items: baseline; gap: 4px 12px; padding: 7px 0;
  border-bottom: 1px solid var(--line); }
ol.counts li:last-child { border-bottom: 0; }
ol.counts .text { overflow-wrap: anywhere; }
ol.counts .n { font-variant-numeric: tabular-nums; color: var(--muted); text-align: right; }
ol.counts .bar { grid-column: 1 / -1; width: 100%; height: 6px; }
.finding { padding: 8px 0; border-bottom: 1px solid var(--line); }
.finding:last-child { border-bottom: 0; }
.finding code, p code { font-size: 12px; background: var(--track); padding: 1px 5px; border-radius: 4px; }
.finding .share { font-weight: 600; color: var(--accent); }
.empty { color: var(--muted); font-style: italic; margin: 0; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; text-align: center; }
`;
