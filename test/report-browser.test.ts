import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostHogMCP } from '../src/index';
import { hasChromium, type LoadedPage, loadInChromium } from './helpers/chromium';
import { HOSTILE_TEXTS, hostileEventLines } from './helpers/hostile-report-events';
import { createTestClientOptions, startIngestionServer } from './helpers/ingestion-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Kept after the run (and emptied before the next) so the reports and screenshots can be looked at. */
const OUT_DIR = join(tmpdir(), 'posthog-mcp-analytics-report-test');
const HEADINGS = [
  'Tools',
  'Latency',
  'Top intents',
  'Missing capabilities',
  'Unknown tools',
  'Errors by origin',
  'Empty results and repeats',
  'Diagnostics',
];

/** What the page evaluates in the browser: the rendered structure, read from the DOM. */
const INSPECT = `JSON.stringify({
  title: document.title,
  h1: document.querySelector('h1')?.textContent,
  headings: [...document.querySelectorAll('h2')].map((h) => h.textContent),
  rows: [...document.querySelectorAll('tr.tool-row')].map((row) => row.dataset.tool),
  callBars: document.querySelectorAll('tr.tool-row svg.calls-bar rect.fill').length,
  errorBars: document.querySelectorAll('tr.tool-row svg.error-bar').length,
  latencyBars: document.querySelectorAll('tr.tool-row svg.latency-bar').length,
  histogramBars: document.querySelectorAll('svg.histogram g.bucket').length,
  tags: [...new Set([...document.querySelectorAll('*')].map((element) => element.localName))].sort(),
  handlers: [...document.querySelectorAll('*')].flatMap((element) =>
    [...element.attributes].map((attribute) => attribute.name).filter((name) => name.startsWith('on'))),
  bodyText: document.body.innerText,
  width: document.documentElement.scrollWidth,
})`;

interface Rendered {
  title: string;
  h1: string;
  headings: string[];
  rows: string[];
  callBars: number;
  errorBars: number;
  latencyBars: number;
  histogramBars: number;
  tags: string[];
  handlers: string[];
  bodyText: string;
  width: number;
}

const ALLOWED_TAGS = [
  'b',
  'body',
  'br',
  'code',
  'div',
  'footer',
  'g',
  'h1',
  'h2',
  'head',
  'header',
  'html',
  'li',
  'line',
  'main',
  'meta',
  'ol',
  'p',
  'rect',
  'section',
  'span',
  'style',
  'svg',
  'table',
  'tbody',
  'td',
  'text',
  'th',
  'thead',
  'title',
  'tr',
];

/** Runs a TypeScript file of the repository; keeps only the first 64 KiB of stdout. */
function runNode(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdoutHead: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.POSTHOG_API_KEY;
  delete childEnv.POSTHOG_HOST;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdoutHead = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdoutHead.length < 65_536) stdoutHead += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdoutHead, stderr }));
  });
}

/** A small session through the real client and the local ingestion server: four tools, failures, a report. */
async function recordSession(file: string): Promise<void> {
  const server = await startIngestionServer();
  const posthog = new PostHogMCP('phc_test', {
    ...createTestClientOptions(server),
    reportMissing: true,
    serverName: 'report-test',
  });
  const plan: [string, string, boolean][] = [
    ['search_docs', 'find the refund policy', false],
    ['search_docs', 'find the refund policy', false],
    ['search_docs', 'compare plans', true],
    ['get_invoice', 'download the March invoice', false],
    ['refund_order', '</svg><script>alert(1)</script>', true],
    ['list_orders', 'show my orders', false],
  ];
  for (const [name, context, isError] of plan) {
    const tool = { name, inputSchema: { type: 'object', properties: {} } };
    const call = posthog.prepareToolCall(name, { context }, { tool, session: 'report-session' });
    posthog.completeToolCall(call, { result: { content: [{ type: 'text', text: 'ok' }], isError } });
  }
  const report = posthog.prepareToolCall(
    'get_more_tools',
    { context: 'export to CSV' },
    { session: 'report-session' },
  );
  posthog.completeToolCall(report);
  posthog.prepareToolCall('delete_everything', {}, { exists: false, session: 'report-session' });
  await posthog.shutdown();
  await server.close();
  await writeFile(file, server.events.map((event) => `${JSON.stringify(event)}\n`).join(''));
}

describe.skipIf(process.env.SKIP_BROWSER_TESTS === '1')('summarize --html in headless chromium', () => {
  let dir: string;
  beforeAll(async () => {
    expect(hasChromium, 'the report tests need Debian chromium: apt-get install -y chromium').toBe(true);
    dir = OUT_DIR;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  });

  afterAll(async () => {
    // The reports and screenshots stay for people to look at; the large inputs do not.
    for (const name of ['session.jsonl', 'hostile.jsonl', 'demo-events.jsonl'])
      await rm(join(dir, name), { force: true });
  });

  async function render(events: string, name: string): Promise<LoadedPage<Rendered> & { bytes: number }> {
    const report = join(dir, `${name}.html`);
    const result = await runNode(['src/cli/main.ts', 'summarize', events, '--html', report]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote the HTML report to ${report}`);
    expect(result.stdoutHead).toMatch(/^\d+ session\(s\); events: /);
    expect(result.stdoutHead).not.toContain('<html');
    const screenshot = join(dir, `${name}.png`);
    const page = await loadInChromium<string>({ file: report, inspect: INSPECT, screenshot });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    return { ...page, value: JSON.parse(page.value) as Rendered, bytes: (await stat(report)).size };
  }

  it('renders every section, one bar of each kind per tool, without console errors or requests', async () => {
    const events = join(dir, 'session.jsonl');
    await recordSession(events);
    const page = await render(events, 'session');
    expect(page.problems).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.value.h1).toBe('MCP analytics report');
    expect(page.value.headings).toEqual(HEADINGS);
    expect(page.value.rows).toEqual(['search_docs', 'get_invoice', 'refund_order', 'list_orders']);
    expect(page.value).toMatchObject({ callBars: 4, errorBars: 4, latencyBars: 4 });
    expect(page.value.histogramBars).toBeGreaterThan(0);
    expect(page.value.bodyText).toContain('</svg><script>alert(1)</script>');
    expect(page.value.bodyText).toContain('export to CSV');
    expect(page.value.bodyText).toContain('delete_everything');
    expect(page.value.tags.filter((tag) => !ALLOWED_TAGS.includes(tag))).toEqual([]);
    expect(page.value.width).toBeLessThanOrEqual(1200);
  }, 60_000);

  it('npm run demo writes the report next to its events file, prints the path, and the page renders', async () => {
    const events = join(dir, 'demo-events.jsonl');
    const demo = await runNode(['examples/demo.ts'], { DEMO_EVENTS_FILE: events });
    expect(demo.code, demo.stderr).toBe(0);
    const report = join(dir, 'report.html');
    expect(demo.stdoutHead).toContain(`Wrote the HTML report to ${report}`);
    const page = await loadInChromium<string>({
      file: report,
      inspect: INSPECT,
      screenshot: join(dir, 'demo.png'),
    });
    const value = JSON.parse(page.value) as Rendered;
    expect(page.problems).toEqual([]);
    expect(value.headings).toEqual(HEADINGS);
    expect(value.rows.sort()).toEqual(['crash', 'flaky_lookup', 'get_forecast', 'search_docs']);
    expect(value.callBars).toBe(4);
  }, 60_000);

  it('hostile event text stays text: no injected elements or handlers, bounded size, page still well-formed', async () => {
    const events = join(dir, 'hostile.jsonl');
    await writeFile(events, hostileEventLines().join('\n'));
    const page = await render(events, 'hostile');
    expect(page.problems).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.value.headings).toEqual(HEADINGS);
    expect(page.value.tags.filter((tag) => !ALLOWED_TAGS.includes(tag))).toEqual([]);
    expect(page.value.handlers).toEqual([]);
    expect(page.value.rows.length).toBe(page.value.callBars);
    expect(page.value.rows.length).toBeLessThanOrEqual(40);
    for (const text of HOSTILE_TEXTS.filter((hostile) => /^[\x20-\x7e]{1,60}$/.test(hostile))) {
      expect(page.value.bodyText).toContain(text);
    }
    expect(page.bytes).toBeLessThan(400_000);
    const html = await readFile(join(dir, 'hostile.html'), 'utf8');
    expect(html.replace(/[\n\t]/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
  }, 60_000);
});
