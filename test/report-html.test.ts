import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { createHtmlReport } from '../src/cli/html-report';
import { cleanText } from '../src/cli/html-text';
import { buildReportData, REPORT_LIMITS } from '../src/cli/report-data';
import type { SummaryInputEvent } from '../src/cli/summary';
import { bucketLabel } from '../src/cli/svg-charts';
import { EVENT, PROP } from '../src/events';
import { HOSTILE_TEXTS, hostileEventLines } from './helpers/hostile-report-events';
import { useIngestionServer } from './helpers/wire';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const wire = useIngestionServer();

const OWN_TAGS = new Set(
  'html head meta title style body main header h1 p div b span section h2 table thead tbody tr th td svg rect g text line ol li code br footer'.split(
    ' ',
  ),
);
/** A tag as the report writes it: a known name, then only double-quoted attribute values free of `<`, `>` and `"`. */
const TAG = /^<\/?([a-z][a-z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*="[^"<>]*")*)\s*\/?>$/;

/** Every tag of the page is one of the report's own, well formed: event text added no markup. */
function expectOnlyOwnMarkup(html: string): void {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace(/^<!doctype html>/, '');
  for (const tag of body.match(/<[^>]*>?/g) ?? []) {
    const match = TAG.exec(tag);
    expect(match, tag.slice(0, 200)).not.toBeNull();
    expect(OWN_TAGS.has(match?.[1] ?? ''), tag.slice(0, 200)).toBe(true);
    const names = [...(match?.[2] ?? '').matchAll(/\s([a-zA-Z][a-zA-Z0-9-]*)="[^"]*"/g)].map(
      (name) => name[1],
    );
    expect(names.filter((name) => /^on/i.test(name ?? ''))).toEqual([]);
  }
}

/** Any code point (lone surrogates included), with markup and bidi characters made frequent. */
const anyChar = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }).map((codePoint) => String.fromCodePoint(codePoint)),
  fc.constantFrom('<', '>', '"', "'", '&', '/', '=', ' ', '\n', '\u202e', '\ud83d'),
);
const anyText = (maxLength: number) => fc.string({ unit: anyChar, maxLength });

const toolCall = (properties: Record<string, unknown>): SummaryInputEvent => ({
  event: EVENT.toolCall,
  properties: { [PROP.toolName]: 'search', [PROP.isError]: false, ...properties },
});

describe('cleanText', () => {
  it.each([
    ['tab\tnew\nline\r\nend', 'tab new line end'],
    ['nul\u0000 esc\u001b del\u007f c1\u0085', 'nul\ufffd esc\ufffd del\ufffd c1\ufffd'],
    ['a\u202eb\u2066c\u2069d\u200be\ufeff', 'abcde'],
    ['lone \ud800 and \udc00', 'lone \ufffd and \ufffd'],
    ['line\u2028para\u2029end', 'line para end'],
    ['  spaced   out  ', 'spaced out'],
  ])('%j becomes %j', (input, expected) => {
    expect(cleanText(input, 100)).toBe(expected);
  });

  it('cuts at the limit with an ellipsis, never inside a surrogate pair, whatever the input length', () => {
    expect(cleanText('x'.repeat(1_000_000), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(cleanText('🙂'.repeat(10), 6)).toBe('🙂🙂…');
    expect(cleanText(`${'a '.repeat(20)}${'b'.repeat(1000)}`, 45)).toHaveLength(45);
    fc.assert(
      fc.property(anyText(400), fc.integer({ min: 2, max: 80 }), (text, max) => {
        const clean = cleanText(text, max);
        expect(clean.length).toBeLessThanOrEqual(max);
        expect(clean).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
      }),
    );
  });
});

describe('the HTML report', () => {
  it('any text in any slot stays text, and the page stays bounded', () => {
    const hostile = fc.oneof(anyText(300), fc.constantFrom(...HOSTILE_TEXTS));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hostile, hostile, fc.boolean()), { minLength: 1, maxLength: 8 }),
        (slots) => {
          const events: SummaryInputEvent[] = slots.flatMap(([name, text, isError]) => [
            toolCall({
              [PROP.toolName]: name,
              [PROP.intent]: text,
              [PROP.isError]: isError,
              [PROP.errorOrigin]: text,
            }),
            { event: EVENT.missingCapability, properties: { [PROP.intent]: text } },
            { event: EVENT.unknownTool, properties: { [PROP.toolName]: name, [PROP.errorOrigin]: text } },
          ]);
          const html = createHtmlReport(events, { source: slots[0]?.[1] ?? '' });
          expectOnlyOwnMarkup(html);
          expect(html.length).toBeLessThan(200_000);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the crafted events file renders within bounds, listing at most the cap of each list', () => {
    const events = hostileEventLines().map((line) => JSON.parse(line) as SummaryInputEvent);
    const html = createHtmlReport(events, { source: HOSTILE_TEXTS[0] ?? '' });
    expectOnlyOwnMarkup(html);
    expect(html.match(/<tr class="tool-row"/g)).toHaveLength(REPORT_LIMITS.tools);
    expect(html).toContain('more tools not shown');
    expect(Buffer.byteLength(html)).toBeLessThan(400_000);
  });

  it('10,000 events make a page no larger than a few dozen events with the same tools', () => {
    const tools = Array.from({ length: 12 }, (_, index) => `tool_${index}`);
    const make = (count: number) =>
      Array.from({ length: count }, (_, index) =>
        toolCall({
          [PROP.toolName]: tools[index % tools.length],
          [PROP.durationMs]: (index * 7919) % 3000,
          [PROP.isError]: index % 9 === 0,
          [PROP.intent]: `intent ${index % 50}`,
        }),
      );
    const small = Buffer.byteLength(createHtmlReport(make(60), { source: 'a' }));
    const large = Buffer.byteLength(createHtmlReport(make(10_000), { source: 'a' }));
    expect(large).toBeLessThan(small * 1.5);
  });

  it('counts empty results, repeats and error origins when events carry them, and says so when none do', () => {
    const withSignals = buildReportData([
      toolCall({ [PROP.emptyResult]: true, [PROP.repeatCount]: 0 }),
      toolCall({ [PROP.emptyResult]: true, [PROP.repeatCount]: 1 }),
      toolCall({ [PROP.emptyResult]: false, [PROP.repeatCount]: 4 }),
      toolCall({ [PROP.isError]: true, [PROP.errorOrigin]: 'caller' }),
      toolCall({ [PROP.isError]: true, [PROP.errorOrigin]: 'tool' }),
      { event: EVENT.unknownTool, properties: { [PROP.toolName]: 'x', [PROP.errorOrigin]: 'caller' } },
    ]);
    expect(withSignals.signals.get('search')).toEqual({ empty: 2, repeated: 2, maxRepeat: 4 });
    expect(withSignals.errorOrigins).toEqual([
      { text: 'caller', count: 2 },
      { text: 'tool', count: 1 },
    ]);
    const shown = createHtmlReport([toolCall({ [PROP.emptyResult]: true, [PROP.repeatCount]: 3 })], {
      source: 'f',
    });
    expect(shown).toMatch(/<td class="num">1<\/td><td class="num">1<\/td><td class="num">×3<\/td>/);
    const without = createHtmlReport([toolCall({})], { source: 'f' });
    expect(without).toContain('None: these events carry neither <code>$mcp_empty_result</code>');
    expect(without).toContain('None: these events carry no <code>$mcp_error_origin</code>');
  });

  it.each([
    [0.2, '<1 ms'],
    [1, '1–2 ms'],
    [499.9, '200–500 ms'],
    [500, '0.5–1 s'],
    [9999, '5–10 s'],
    [10_000, '≥10 s'],
  ])('a %f ms call falls in the %s bucket', (durationMs, label) => {
    const [bucket] = buildReportData([toolCall({ [PROP.durationMs]: durationMs })]).latency;
    expect(bucket && bucketLabel(bucket)).toBe(label);
  });

  it('derives the gaps mcpDiagnostics() reports from the events file alone', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    for (const id of [1, 2, 3]) {
      handle(
        { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'divide', arguments: { a: id, b: 1 } } },
        0,
      );
    }
    handle({ jsonrpc: '2.0', id: 4, method: 'tools/list' }, 0);
    await posthog.flush();
    const expected = posthog.mcpDiagnostics().findings;
    await posthog.shutdown();
    const fromEvents = buildReportData(wire.server.events).findings;
    // A file cannot tell how a session id was chosen; the report counts events alone in their session instead.
    const comparable = (property: string) => property !== PROP.sessionId;
    const sameProperty: Record<string, string> = { distinct_id: PROP.processPersonProfile };
    expect(
      fromEvents
        .filter((finding) => comparable(finding.property))
        .map(({ property, missing, of }) => ({ property, missing, of }))
        .sort(byProperty),
    ).toEqual(
      expected
        .map(({ property, missing, of }) => ({ property: sameProperty[property] ?? property, missing, of }))
        .filter((finding) => comparable(finding.property))
        .sort(byProperty),
    );
    expect(fromEvents.find((finding) => finding.property === PROP.sessionId)).toMatchObject({
      missing: 4,
      of: 4,
    });
  });
});

function byProperty(a: { property: string }, b: { property: string }): number {
  return a.property.localeCompare(b.property);
}

describe('summarize --html on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-cli-'));
    await writeFile(join(dir, 'events.jsonl'), `${JSON.stringify(toolCall({}))}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { cwd: ROOT },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

  it.each([
    [['--html'], 2, '--html needs a file'],
    [['--html', '--events'], 2, '--html needs a file'],
    [['--html', '/nonexistent-dir/report.html'], 1, 'cannot write /nonexistent-dir/report.html: ENOENT'],
  ])('%j exits %i and says %j', async (args, code, message) => {
    const result = await cli('summarize', join(dir, 'events.jsonl'), ...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});
