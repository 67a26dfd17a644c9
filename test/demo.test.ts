import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSessionId, EVENT, PROP } from '../src/index';
import type { SinkEvent } from '../src/testing';
import { useIngestionServer } from './helpers/wire';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(eventsFile: string, posthog: Record<string, string> = {}): Promise<DemoRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DEMO_EVENTS_FILE: eventsFile };
  delete env.POSTHOG_API_KEY;
  delete env.POSTHOG_HOST;
  Object.assign(env, posthog);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'examples/demo.ts'],
      { cwd: ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('npm run demo', () => {
  let dir: string;
  let run: DemoRun;
  let events: SinkEvent[];
  const named = (name: string) => events.filter((event) => event.event === name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-'));
    const file = join(dir, 'events.jsonl');
    run = await runDemo(file);
    const text = await readFile(file, 'utf8').catch(() => '');
    events = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SinkEvent);
  }, 40_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 offline, says so, and the stdio child spoke only JSON-RPC and exited', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'offline, PostHog is replaced by a local ingestion server at http://127.0.0.1:',
    );
    expect(run.stdout).toContain('child stdout: only JSON-RPC');
    expect(run.stdout).toMatch(/child process \d+ flushed its analytics and exited/);
  });

  it('prints one line per event, then the per-tool summary and the diagnostics', () => {
    const eventLines = run.stdout.split('\n').filter((line) => /^ {2}(\$mcp_|\$exception)/.test(line));
    expect(eventLines).toHaveLength(events.length);
    expect(eventLines).toContainEqual(
      expect.stringMatching(
        /\$mcp_tool_call\s+crash\s+ses_…\w{8}\s+[\d.]+ ms\s+UpstreamError \(tool\)\s+"Try the tool/,
      ),
    );
    expect(run.stdout).toMatch(
      /^tool\s+calls\s+errors\s+error rate\s+caller\/tool\/server\s+empty\s+repeats\s+p50 ms\s+p95 ms\s+top intents$/m,
    );
    expect(run.stdout).toMatch(/^search_docs\s+5\s+1\s+20%\s+1\/0\/0\s+2\s+1\s/m);
    expect(run.stdout).toMatch(/^flaky_lookup\s+1\s+1\s+100%\s+0\/1\/0\s+0\s+0\s/m);
    expect(eventLines).toContainEqual(
      expect.stringMatching(/search_docs.*ok empty repeat ×1\s+"Nothing came back/),
    );
    expect(eventLines).toContainEqual(expect.stringMatching(/search_docs.*JsonRpcError \(caller\)/));
    expect(run.stdout).toContain('1 × "Export the search results to a spreadsheet"');
    expect(run.stdout).toContain('unknown tools: "delete_everything"');
    expect(run.stdout).toContain('posthog.mcpDiagnostics()');
  });

  it('writes every event of the scripted session to the events file', () => {
    expect(named(EVENT.initialize)).toHaveLength(1);
    expect(named(EVENT.toolsList)).toHaveLength(1);
    expect(
      named(EVENT.toolCall)
        .map((event) => event.properties[PROP.toolName])
        .sort(),
    ).toEqual(['crash', 'flaky_lookup', 'get_forecast', ...Array(5).fill('search_docs')].sort());
    expect(named(EVENT.exception)).toHaveLength(3);
    expect(named(EVENT.unknownTool)[0]?.properties[PROP.toolName]).toBe('delete_everything');
    expect(named(EVENT.missingCapability)[0]?.properties[PROP.intent]).toBe(
      'Export the search results to a spreadsheet',
    );
    expect(named(EVENT.feedback)[0]?.properties[PROP.feedbackType]).toBe('issue');
    for (const event of events) expect(event.properties[PROP.lib]).toBe('posthog-node-mcp');
  });

  it('keeps the stdio session on one connection session, with intents and the self-reported model', () => {
    const stdio = events.filter((event) => event.properties[PROP.serverName] === 'demo-stdio-server');
    expect(new Set(stdio.map((event) => event.properties[PROP.sessionId])).size).toBe(1);
    const search = stdio.find((event) => event.properties[PROP.toolName] === 'search_docs');
    expect(search?.properties).toMatchObject({
      [PROP.intent]: 'Answer a customer asking how refunds work',
      [PROP.llmModel]: 'claude-sonnet-4-5',
      [PROP.clientName]: 'demo-agent',
    });
    const searches = stdio.filter(
      (e) => e.event === EVENT.toolCall && e.properties[PROP.toolName] === 'search_docs',
    );
    expect(
      searches.map((e) => [
        e.properties[PROP.emptyResult],
        e.properties[PROP.repeatCount],
        e.properties[PROP.errorOrigin],
        e.properties[PROP.jsonRpcErrorCode],
      ]),
    ).toEqual([
      [false, 0, undefined, undefined],
      [true, 0, undefined, undefined],
      [true, 1, undefined, undefined],
      [undefined, 0, 'caller', -32602],
    ]);
    const crash = stdio.find((e) => e.event === EVENT.toolCall && e.properties[PROP.toolName] === 'crash');
    expect(crash?.properties).toMatchObject({ [PROP.isError]: true, [PROP.errorType]: 'UpstreamError' });
  });

  it('carries the stateless HTTP conversation handle across both calls', () => {
    const http = named(EVENT.toolCall).filter((e) => e.properties[PROP.serverName] === 'demo-http-server');
    expect(http).toHaveLength(2);
    const handle = http[0]?.properties[PROP.conversationId];
    expect(handle).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    for (const event of http) {
      expect(event.properties[PROP.conversationId]).toBe(handle);
      expect(event.properties[PROP.sessionId]).toBe(deriveSessionId(String(handle)));
    }
    expect(run.stdout).toContain(`conversation handle ${String(handle)}`);
  });
});

describe('npm run demo with POSTHOG_API_KEY set', () => {
  const wire = useIngestionServer();

  it('says it is online and sends the same events to that host', async () => {
    const upstream = wire.server;
    const dir = await mkdtemp(join(tmpdir(), 'demo-online-'));
    try {
      const run = await runDemo(join(dir, 'events.jsonl'), {
        POSTHOG_API_KEY: 'phc_demo_online_test',
        POSTHOG_HOST: upstream.url,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`ONLINE, sending to ${upstream.url}`);
      expect(run.stdout).toMatch(/Events sent to PostHog \((\d+)\)/);
      const printed = Number(/Events sent to PostHog \((\d+)\)/.exec(run.stdout)?.[1]);
      expect(new Set(upstream.events.map((event) => event.uuid)).size).toBe(printed);
      expect(upstream.bodies.every((body) => body.api_key === 'phc_demo_online_test')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
