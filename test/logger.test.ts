import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatEventLine } from '../src/cli/summary';
import { PostHogMCP } from '../src/index';
import type { LogLevel } from '../src/logger';
import { createTestClientOptions } from './helpers/ingestion-server';
import { REPO_ROOT } from './helpers/mcp-client';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();
const run = promisify(execFile);
const url = (path: string) => pathToFileURL(join(REPO_ROOT, path)).href;

/** Runs a module script in a child process (so its real stdout and stderr can be read). */
async function runScript(body: string): Promise<{ stdout: string; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'posthog-mcp-logger-'));
  try {
    const script = join(dir, 'script.mts');
    await writeFile(
      script,
      `import { PostHogMCP } from '${url('src/index.ts')}';
import { PostHog } from '${url('node_modules/posthog-node/dist/entrypoints/index.node.mjs')}';
import { createTestClientOptions, startIngestionServer } from '${url('test/helpers/ingestion-server.ts')}';
${body}`,
    );
    return await run(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, timeout: 30_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const tool = { name: 'search_docs', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };

/** Drives a call, a failure and an unknown tool through `posthog`. */
function drive(posthog: PostHogMCP): void {
  posthog.prepareToolList([tool]);
  const ok = posthog.prepareToolCall('search_docs', { q: 'x', context: 'find docs' }, { tool, session: 's' });
  posthog.completeToolCall(ok, { result: { content: [{ type: 'text', text: 'hit' }] } });
  const failed = posthog.prepareToolCall('search_docs', { q: 'y' }, { tool, session: 's' });
  posthog.completeToolCall(failed, { error: new TypeError('bad query') });
  posthog.prepareToolCall('nope', {}, { exists: false, session: 's' });
}

const KEYLESS: [string, unknown][] = [
  ['an empty string', ''],
  ['blanks', '  \t'],
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
];

describe('a missing API key', () => {
  it.each(KEYLESS)(
    '(%s) is said once through a logger function and first in mcpDiagnostics, and nothing is sent',
    async (_label, key) => {
      const logs: [LogLevel, string][] = [];
      const posthog = new PostHogMCP(key as string, {
        ...createTestClientOptions(wire.server),
        logger: (level, message) => logs.push([level, message]),
      });
      drive(posthog);
      drive(posthog);
      await posthog.flush();
      const report = posthog.mcpDiagnostics();
      await posthog.shutdown();
      const said = logs.filter(([, message]) => message.includes('API key'));
      expect(said).toHaveLength(1);
      expect(said[0]?.[0]).toBe('warn');
      expect(report.findings[0]).toMatchObject({ field: 'apiKey', missing: report.eventsInspected });
      expect(report.findings.length).toBeGreaterThan(1);
      expect(wire.server.requests).toBe(0);
    },
  );

  it('is not reported when a key is given, and a silent client says nothing', async () => {
    const logs: string[] = [];
    const posthog = wire.client({ logger: (_level, message) => logs.push(message) });
    drive(posthog);
    await posthog.flush();
    expect(posthog.mcpDiagnostics().findings.map((finding) => finding.field)).not.toContain('apiKey');
    await posthog.shutdown();
    expect(logs.filter((message) => message.includes('API key'))).toEqual([]);
    const silent = new PostHogMCP('', createTestClientOptions(wire.server));
    expect(silent.mcpDiagnostics().findings[0]?.field).toBe('apiKey');
    await silent.shutdown();
  });

  it("is said once on stderr with logger: 'stderr', and nothing reaches stdout", async () => {
    const { stdout, stderr } = await runScript(`
const posthog = new PostHogMCP('', { logger: 'stderr' });
posthog.captureToolCall({ toolName: 't', durationMs: 1 });
await posthog.shutdown();
`);
    expect(stdout).toBe('');
    expect(stderr.split('\n').filter((line) => line.includes('API key'))).toHaveLength(1);
  });
});

describe("logger: 'debug'", () => {
  it('prints one summarize --events line per MCP event to stderr, while the events still reach PostHog', async () => {
    const { stdout, stderr } = await runScript(`
const server = await startIngestionServer();
const posthog = new PostHogMCP('phc_debug', { ...createTestClientOptions(server), logger: 'debug' });
const tool = ${JSON.stringify(tool)};
const ok = posthog.prepareToolCall('search_docs', { q: 'x', context: 'find docs' }, { tool, session: 's' });
posthog.completeToolCall(ok, { result: { content: [{ type: 'text', text: 'hit' }] } });
const failed = posthog.prepareToolCall('search_docs', { q: 'y' }, { tool, session: 's' });
posthog.completeToolCall(failed, { error: new TypeError('bad query') });
posthog.prepareToolCall('nope', {}, { exists: false, session: 's' });
await posthog.shutdown();
await server.close();
process.stderr.write('EVENTS ' + JSON.stringify(server.events) + '\\n');
`);
    expect(stdout).toBe('');
    const received = JSON.parse(/^EVENTS (.*)$/m.exec(stderr)?.[1] ?? '[]') as Parameters<
      typeof formatEventLine
    >[0][];
    expect(received.map((event) => event.event).sort()).toEqual([
      '$exception',
      '$mcp_tool_call',
      '$mcp_tool_call',
      '$mcp_unknown_tool',
    ]);
    const lines = stderr.split('\n').filter((line) => line.startsWith('[posthog-mcp-analytics] debug: '));
    expect(lines.map((line) => line.replace('[posthog-mcp-analytics] debug: ', '')).sort()).toEqual(
      received.map(formatEventLine).sort(),
    );
  });
});

/**
 * Turns posthog-node's debug output on and makes it log a capture, a flush error and a shutdown timeout. The
 * scripts end with `process.exit` because the request left hanging fails once shutdown has given up, and
 * posthog-node reports that failure from inside its `_shutdown` with `console.error` (stderr), which no
 * override point reaches.
 */
const POSTHOG_NODE_NOISE = `
const server = await startIngestionServer({ mode: { status: 500 } });
const posthog = new PostHogMCP('phc_noise', { ...createTestClientOptions(server), flushAt: 1, LOGGER });
posthog.debug(true);
posthog.capture({ distinctId: 'user-1', event: 'host_event' });
posthog.captureToolCall({ toolName: 't', durationMs: 1 });
await posthog.flush().catch(() => undefined);
server.setMode('hang');
posthog.capture({ distinctId: 'user-1', event: 'host_event_2' });
await posthog.shutdown(300);
`;

describe("posthog-node's own log output", () => {
  it('is written to stdout by plain posthog-node with debug(true) (the defect this guards against)', async () => {
    const { stdout } = await runScript(`
const posthog = new PostHog('phc_plain', { host: 'http://127.0.0.1:9', flushAt: 1000 });
posthog.debug(true);
posthog.capture({ distinctId: 'user-1', event: 'host_event' });
`);
    expect(stdout).toContain('[PostHog]');
  });

  it.each([
    ['silent: to stderr', "logger: 'silent'", '[PostHog] '],
    ["'stderr': through the MCP logger", "logger: 'stderr'", '[posthog-mcp-analytics] debug: [PostHog] '],
    ["'debug': through the MCP logger", "logger: 'debug'", '[posthog-mcp-analytics] debug: [PostHog] '],
  ])(
    'with logger %s, never stdout: debug lines, flush errors and the shutdown timeout',
    async (_label, option, prefix) => {
      const { stdout, stderr } = await runScript(
        `${POSTHOG_NODE_NOISE.replace('LOGGER', option)}process.exit(0);`,
      );
      expect(stdout).toBe('');
      expect(stderr).toContain(`${prefix}capture`);
      expect(stderr).toMatch(/\[PostHog\] Error while flushing PostHog/);
      expect(stderr).toMatch(/\[PostHog\] Timeout while shutting down/);
    },
  );

  it('goes only through a logger function when one is set: nothing on stdout or stderr', async () => {
    const { stdout, stderr } = await runScript(
      `const logs = [];\n${POSTHOG_NODE_NOISE.replace('LOGGER', 'logger: (level, message) => logs.push([level, message])')}
process.stderr.write(JSON.stringify(logs));
process.exit(0);`,
    );
    expect(stdout).toBe('');
    const logs = JSON.parse(stderr) as [LogLevel, string][];
    const posthogLines = logs.filter(([, message]) => message.startsWith('[PostHog]'));
    expect(posthogLines.some(([level, message]) => level === 'debug' && message.includes('capture'))).toBe(
      true,
    );
    expect(posthogLines).toContainEqual(['error', expect.stringContaining('Error while flushing PostHog')]);
    expect(posthogLines).toContainEqual(['error', expect.stringContaining('Timeout while shutting down')]);
  });
});
