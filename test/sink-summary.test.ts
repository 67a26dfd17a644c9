import { describe, expect, it } from 'vitest';
import {
  formatEventLine,
  formatSummary,
  parseEventLines,
  percentile,
  type SummaryInputEvent,
  summarizeEvents,
} from '../src/cli/summary';
import { EVENT, PROP } from '../src/index';

const SESSION = 'ses_6df45f0102a182bcd5e8dd5dad6c65a0';

function toolCall(tool: string, durationMs: number, extra: Record<string, unknown> = {}): SummaryInputEvent {
  return {
    event: EVENT.toolCall,
    properties: {
      [PROP.toolName]: tool,
      [PROP.durationMs]: durationMs,
      [PROP.isError]: false,
      [PROP.sessionId]: SESSION,
      ...extra,
    },
  };
}

const failed = { [PROP.isError]: true, [PROP.errorType]: 'UpstreamError' };
const NO_SIGNALS = { emptyResults: 0, repeats: 0, errorOrigins: { caller: 0, tool: 0, server: 0 } };

describe('percentile', () => {
  it.each([
    [[], 50, undefined],
    [[7], 50, 7],
    [[7], 95, 7],
    [[4, 1, 3, 2], 50, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95, 19],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 50, 10],
  ])('the nearest-rank percentile of %j at %i is %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('summarizeEvents', () => {
  const events: SummaryInputEvent[] = [
    { event: EVENT.toolsList, properties: { [PROP.sessionId]: SESSION } },
    toolCall('search_docs', 10, { [PROP.intent]: 'find refunds' }),
    toolCall('search_docs', 30, { [PROP.intent]: 'find refunds' }),
    toolCall('search_docs', 20, { [PROP.intent]: 'find shipping' }),
    toolCall('crash', 5, { ...failed, [PROP.sessionId]: 'ses_other' }),
    { event: EVENT.exception, properties: { [PROP.toolName]: 'crash' } },
    { event: EVENT.missingCapability, properties: { [PROP.intent]: 'export to CSV' } },
    { event: EVENT.missingCapability, properties: { [PROP.intent]: 'export to CSV' } },
    { event: EVENT.unknownTool, properties: { [PROP.toolName]: 'delete_everything' } },
  ];
  const summary = summarizeEvents(events);

  it('gives one row per tool, most called first, with calls, errors, rate and percentiles', () => {
    expect(summary.tools).toEqual([
      {
        tool: 'search_docs',
        calls: 3,
        errors: 0,
        errorRate: 0,
        p50Ms: 20,
        p95Ms: 30,
        topIntents: [
          { text: 'find refunds', count: 2 },
          { text: 'find shipping', count: 1 },
        ],
        ...NO_SIGNALS,
      },
      { tool: 'crash', calls: 1, errors: 1, errorRate: 1, p50Ms: 5, p95Ms: 5, topIntents: [], ...NO_SIGNALS },
    ]);
  });

  it('counts events by name in first-seen order, distinct sessions, missing capabilities and unknown tools', () => {
    expect(summary.eventCounts.map((count) => count.text)).toEqual([
      EVENT.toolsList,
      EVENT.toolCall,
      EVENT.exception,
      EVENT.missingCapability,
      EVENT.unknownTool,
    ]);
    expect(summary.sessions).toBe(2);
    expect(summary.missingCapabilities).toEqual([{ text: 'export to CSV', count: 2 }]);
    expect(summary.unknownTools).toEqual([{ text: 'delete_everything', count: 1 }]);
  });

  it('tolerates events without properties or with odd property types', () => {
    const odd = summarizeEvents([
      { event: EVENT.toolCall },
      { event: EVENT.toolCall, properties: { [PROP.toolName]: 3, [PROP.durationMs]: 'slow' } },
    ]);
    expect(odd.tools).toEqual([
      { tool: '(unnamed)', calls: 2, errors: 0, errorRate: 0, topIntents: [], ...NO_SIGNALS },
    ]);
  });
});

describe('formatEventLine', () => {
  it('shows the name, tool, short session, duration, outcome and intent on one line', () => {
    const line = formatEventLine(toolCall('search_docs', 4.25, { [PROP.intent]: 'find the\nrefund policy' }));
    expect(line).toMatch(
      /^\$mcp_tool_call\s+search_docs\s+ses_…ad6c65a0\s+4\.3 ms\s+ok\s+"find the refund policy"$/,
    );
    expect(line).not.toContain('\n');
  });

  it('shows the error type of a failed call and dashes for what an event lacks', () => {
    expect(formatEventLine(toolCall('crash', 150, failed))).toMatch(
      /crash\s+ses_…ad6c65a0\s+150 ms\s+UpstreamError$/,
    );
    expect(formatEventLine({ event: EVENT.initialize })).toMatch(/^\$mcp_initialize\s+-\s+-\s+-\s+-$/);
  });

  it('shows the exception type of an $exception event', () => {
    const exception = {
      event: EVENT.exception,
      properties: { [PROP.exceptionList]: [{ type: 'UpstreamError' }] },
    };
    expect(formatEventLine(exception)).toMatch(/^\$exception\s+-\s+-\s+-\s+UpstreamError$/);
  });

  it('shortens a long intent', () => {
    const line = formatEventLine(toolCall('t', 1, { [PROP.intent]: 'x'.repeat(500) }));
    expect(line.length).toBeLessThan(160);
    expect(line).toContain('…');
  });
});

describe('formatSummary', () => {
  it('prints a table row per tool and the missing capabilities', () => {
    const text = formatSummary(
      summarizeEvents([
        toolCall('search_docs', 10, { [PROP.intent]: 'find refunds' }),
        toolCall('crash', 5, failed),
        { event: EVENT.missingCapability, properties: { [PROP.intent]: 'export to CSV' } },
      ]),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe(`1 session(s); events: ${EVENT.toolCall} 2, ${EVENT.missingCapability} 1`);
    expect(lines[2]).toMatch(
      /^tool\s+calls\s+errors\s+error rate\s+caller\/tool\/server\s+empty\s+repeats\s+p50 ms\s+p95 ms\s+top intents$/,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^search_docs\s+1\s+0\s+0%\s+0\/0\/0\s+0\s+0\s+10\s+10\s+"find refunds"$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^crash\s+1\s+1\s+100%\s+0\/0\/0\s+0\s+0\s+5\s+5\s+-$/),
    );
    expect(text).toContain('missing capabilities (1):\n  1 × "export to CSV"');
  });

  it('counts empty results, repeats and failures by who erred, per tool', () => {
    const origin = (who: string) => ({ ...failed, [PROP.errorOrigin]: who });
    const summary = summarizeEvents([
      toolCall('search', 1, { [PROP.emptyResult]: true, [PROP.repeatCount]: 0 }),
      toolCall('search', 1, { [PROP.emptyResult]: true, [PROP.repeatCount]: 1 }),
      toolCall('search', 1, { [PROP.emptyResult]: false, [PROP.repeatCount]: 2 }),
      toolCall('search', 1, { ...origin('caller'), [PROP.repeatCount]: 'many' }),
      toolCall('search', 1, origin('tool')),
      toolCall('search', 1, origin('server')),
      toolCall('search', 1, origin('server')),
      toolCall('search', 1, origin('somebody')),
    ]);
    expect(summary.tools[0]).toMatchObject({
      calls: 8,
      errors: 5,
      emptyResults: 2,
      repeats: 2,
      errorOrigins: { caller: 1, tool: 1, server: 2 },
    });
    expect(formatSummary(summary)).toMatch(/^search\s+8\s+5\s+62\.5%\s+1\/1\/2\s+2\s+2\s+1\s+1\s+-$/m);
  });

  it('shortens 1 MB names: the output stays small whatever the events', () => {
    const long = 'tool_'.repeat(209_716);
    const events = Array.from({ length: 200 }, (_, i) => ({
      event: `${long}${i}`,
      properties: { [PROP.toolName]: `${long}${i}`, [PROP.errorType]: long, [PROP.sessionId]: long },
    }));
    events.push(...events.map((event) => ({ ...event, event: EVENT.toolCall })));
    const text = formatSummary(summarizeEvents(events));
    expect(text.length).toBeLessThan(200 * 200 + 200 * 60);
    const lines = events.map((event) => formatEventLine(event));
    for (const line of lines) expect(line.length).toBeLessThan(200);
  });

  it('says so when there were no tool calls', () => {
    expect(formatSummary(summarizeEvents([]))).toContain('no tool calls');
  });
});

describe('parseEventLines', () => {
  it('keeps the event lines and reports the 1-based numbers of the others', () => {
    const text = ['{"event":"a"}', '', 'garbage', '{"no":"event"}', '{"event":"b","properties":{}}', ''].join(
      '\n',
    );
    expect(parseEventLines(text)).toEqual({
      events: [{ event: 'a' }, { event: 'b', properties: {} }],
      invalidLines: [3, 4],
    });
  });
});
