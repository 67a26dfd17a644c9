import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../examples/router-middleware';
import { escapeTerminalText, formatEventLine, formatSummary, summarizeEvents } from '../src/cli/summary';
import type { PostHogMCP } from '../src/index';
import { MAX_DURATION_MS, MAX_TIMESTAMP_MS } from '../src/valid-time';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

const tool = TOOLS[0]!;
const ok = { content: [{ type: 'text', text: 'ok' }] };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const throwAll = new Proxy(
  {},
  {
    get() {
      throw new Error('get');
    },
    ownKeys() {
      throw new Error('ownKeys');
    },
    getOwnPropertyDescriptor() {
      throw new Error('descriptor');
    },
    has() {
      throw new Error('has');
    },
  },
);

function expectSane(event: IngestedEvent | undefined): void {
  expect(event).toBeDefined();
  expect(event?.timestamp).toMatch(ISO);
  const time = Date.parse(event?.timestamp ?? '');
  expect(time).toBeGreaterThanOrEqual(0);
  expect(time).toBeLessThanOrEqual(MAX_TIMESTAMP_MS);
  const duration = event?.properties.$mcp_duration_ms;
  if (duration !== undefined) {
    expect(typeof duration).toBe('number');
    expect(duration).toBeGreaterThanOrEqual(0);
    expect(duration).toBeLessThanOrEqual(MAX_DURATION_MS);
  }
}

describe('durations and timestamps that would be invalid dates', () => {
  const wire = useIngestionServer();

  async function sent(run: (posthog: PostHogMCP) => void): Promise<IngestedEvent[]> {
    const posthog = wire.client();
    run(posthog);
    await posthog.shutdown();
    return wire.server.events.filter((event) => event.event.startsWith('$mcp_'));
  }

  const DURATIONS = [1e18, Number.MAX_VALUE, 8.64e15, -1e18, 1e300];
  it.each(DURATIONS)(
    'durationMs %d gives a valid timestamp and a clamped duration on every method',
    async (durationMs) => {
      const events = await sent((posthog) => {
        posthog.captureToolCall({ toolName: 'a', durationMs });
        posthog.captureInputRequired({ toolName: 'a', durationMs });
        posthog.captureResourceRead({ uri: 'file:///a', durationMs });
        posthog.capturePromptGet({ name: 'p', durationMs });
        posthog.captureToolsList({ toolNames: ['a'], durationMs });
        posthog.captureResourcesList({ names: ['r'], durationMs });
        posthog.captureInitialize({ durationMs });
      });
      expect(events).toHaveLength(7);
      for (const event of events) expectSane(event);
    },
  );

  const TIMES: [string, unknown][] = [
    ['year 275760', new Date(8.64e15)],
    ['an invalid date', new Date(Number.NaN)],
    ['before 1970', new Date(-1e15)],
    ['a number past the Date range', 1e18],
    ['a date whose getTime throws', Object.assign(Object.create(Date.prototype), {})],
  ];
  it.each(TIMES)('timestamp %s is replaced by a valid one', async (_, timestamp) => {
    const events = await sent((posthog) => {
      posthog.captureToolCall({ toolName: 'a', timestamp: timestamp as Date, durationMs: 5 });
      posthog.captureUnknownTool({ toolName: 'b', timestamp: timestamp as Date });
    });
    expect(events).toHaveLength(2);
    for (const event of events) expectSane(event);
  });

  it.each(TIMES)('startedAt and endedAt %s give a valid timestamp and duration', async (_, time) => {
    const events = await sent((posthog) => {
      const call = posthog.prepareToolCall(tool.name, {}, { tool, startedAt: time as Date });
      posthog.completeToolCall(call, { result: ok, endedAt: time as Date });
      const far = posthog.prepareToolCall(tool.name, {}, { tool, startedAt: 0 });
      posthog.completeToolCall(far, { result: ok, endedAt: MAX_TIMESTAMP_MS });
    });
    expect(events).toHaveLength(2);
    for (const event of events) expectSane(event);
    expect(events[1]?.properties.$mcp_duration_ms).toBe(MAX_DURATION_MS);
  });
});

describe('arguments that cannot be read', () => {
  const wire = useIngestionServer();

  const UNREADABLE: [string, () => unknown][] = [
    ['a proxy whose every trap throws', () => throwAll],
    ['a revoked proxy', revoked],
    [
      'an owned context argument behind a throwing getter',
      () => ({
        query: 'q',
        get context(): never {
          throw new Error('no');
        },
      }),
    ],
    [
      'a proxy whose ownKeys trap throws',
      () =>
        new Proxy(
          { query: 'q' },
          {
            ownKeys: () => {
              throw new Error('no');
            },
          },
        ),
    ],
  ];

  it.each(UNREADABLE)('%s: the call is still sent, its arguments marked', async (_, build) => {
    const posthog = wire.client({ captureParameters: true });
    const call = posthog.prepareToolCall(tool.name, build(), { tool });
    posthog.completeToolCall(call, { result: ok });
    const keys = wire.client({ captureParameters: 'keys' });
    keys.completeToolCall(keys.prepareToolCall(tool.name, build(), { tool }), { result: ok });
    await Promise.all([posthog.shutdown(), keys.shutdown()]);
    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls).toHaveLength(2);
    const parameters = JSON.stringify(calls.map((event) => event.properties.$mcp_parameters));
    if (!parameters.includes('"query":"q"')) expect(parameters).toContain('[unreadable]');
  });

  it.each(UNREADABLE)('%s as captureToolCall parameters: the call is still sent', async (_, build) => {
    const posthog = wire.client({ captureParameters: true });
    posthog.captureToolCall({ toolName: 'a', parameters: build() as never, response: build() });
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(1);
  });

  it('capture data whose session, identity or timestamp getters throw is still sent', async () => {
    const posthog = wire.client();
    const data = { toolName: 'a' } as Record<string, unknown>;
    for (const key of [
      'sessionId',
      'session',
      'identity',
      'distinctId',
      'timestamp',
      'meta',
      'headers',
      'conversationId',
    ]) {
      Object.defineProperty(data, key, {
        get: () => {
          throw new Error(key);
        },
        enumerable: true,
      });
    }
    posthog.captureToolCall(data as never);
    await posthog.shutdown();
    expectSane(wire.server.eventsNamed('$mcp_tool_call')[0]);
  });
});

describe('summarize prints no terminal control sequence from the events', () => {
  const HOSTILE = [
    '\u001b[2J\u001b[H',
    '\u001b]0;pwned\u0007',
    '\u009b31m',
    '\u202eevil\u202c',
    '\u2066iso\u2069',
    'line\u2028break',
    'half\ud800',
    '\u0008\u007f',
  ];
  const UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
  const events = HOSTILE.flatMap((text, index) => [
    {
      event: '$mcp_tool_call',
      properties: {
        $mcp_tool_name: `tool${text}`,
        $session_id: `ses_${text}${index}`,
        $mcp_intent: `intent ${text}`,
        $mcp_error_type: `type${text}`,
        $mcp_is_error: true,
        $mcp_duration_ms: 3,
      },
    },
    { event: `$mcp_missing_capability${text}`, properties: { $mcp_intent: `wish ${text}` } },
    { event: '$mcp_unknown_tool', properties: { $mcp_tool_name: `unknown${text}` } },
    { event: '$exception', properties: { $exception_list: [{ type: `Err${text}` }] } },
  ]);

  it.each(HOSTILE.map((text) => [JSON.stringify(text), text]))('%s is escaped', (_, text) => {
    expect(escapeTerminalText(`a${text}b`)).not.toMatch(UNSAFE);
  });

  it('no event line or summary line carries a control, C1, bidi or lone-surrogate character', () => {
    for (const event of events) expect(formatEventLine(event)).not.toMatch(UNSAFE);
    const summary = formatSummary(summarizeEvents(events));
    for (const line of summary.split('\n')) expect(line).not.toMatch(UNSAFE);
    expect(summary).toContain('\\u001b[2J');
  });

  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'escape-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the summarize --events command writes escaped text only', async () => {
    const file = join(dir, 'events.jsonl');
    await writeFile(file, events.map((event) => JSON.stringify(event)).join('\n'));
    const root = fileURLToPath(new URL('..', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'summarize', file, '--events'],
        { cwd: root, timeout: 30_000 },
        (error, out) => (error ? reject(error) : resolve(out)),
      );
    });
    expect(stdout).toContain('$mcp_tool_call');
    for (const line of stdout.split('\n')) expect(line).not.toMatch(UNSAFE);
  });
});
