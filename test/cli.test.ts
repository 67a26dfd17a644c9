import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostHogMCP } from '../src/index';
import { createEventSink } from '../src/testing';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);

/** Writes the events of a small session to `file` through the event sink. */
async function writeSession(file: string): Promise<void> {
  const sink = createEventSink({ file, memory: false });
  const posthog = new PostHogMCP('phc_test', { fetch: sink.fetch, reportMissing: true });
  const tool = { name: 'search_docs', inputSchema: { type: 'object', properties: {} } };
  for (const isError of [false, false, true]) {
    const call = posthog.prepareToolCall('search_docs', { context: 'find refunds' }, { tool, session: 's' });
    posthog.completeToolCall(call, { result: { content: [], isError } });
  }
  const report = posthog.prepareToolCall('get_more_tools', { context: 'export to CSV' }, { session: 's' });
  posthog.completeToolCall(report);
  await posthog.shutdown();
}

describe('posthog-mcp-analytics summarize', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-'));
    file = join(dir, 'events.jsonl');
    await writeSession(file);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the built bin keeps its shebang and prints the summary table of a sink-written file', async () => {
    const outDir = join(dir, 'dist');
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    const [, ...buildArgs] = (pkg.scripts.build ?? '').split(' ');
    const build = await run(join(ROOT, 'node_modules/.bin/tsdown'), [...buildArgs, '--out-dir', outDir]);
    expect(build.code, build.stderr).toBe(0);
    const bin = join(outDir, basename(pkg.bin['posthog-mcp-analytics'] ?? ''));
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    const result = await run(bin, ['summarize', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^search_docs\s+3\s+1\s+33\.3%/m);
    expect(result.stdout).toContain('"find refunds" ×3');
    expect(result.stdout).toContain('1 × "export to CSV"');
  });

  it('--events prints one line per event before the summary, and "-" reads standard input', async () => {
    const result = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'summarize', '-', '--events'],
      await readFile(file, 'utf8'),
    );
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^\$mcp_tool_call\s+search_docs/gm)).toHaveLength(3);
    expect(result.stdout).toMatch(/^\$mcp_missing_capability\s+get_more_tools/m);
  });

  it('skips lines that are not events and says which', async () => {
    const mixed = join(dir, 'mixed.jsonl');
    const lines = await readFile(file, 'utf8');
    await writeFile(mixed, `not json\n${lines}[1,2]\n`);
    const result = await cli('summarize', mixed);
    expect(result.code).toBe(0);
    const last = lines.trimEnd().split('\n').length + 2;
    expect(result.stderr).toContain(`skipped 2 line(s) that are not JSON events: 1, ${last}`);
    expect(result.stdout).toMatch(/^search_docs\s+3/m);
  });

  it('--help prints the usage to stdout and exits 0', async () => {
    const result = await cli('--help');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Usage: posthog-mcp-analytics summarize <events.jsonl>');
  });

  it.each([
    [[], 2, 'Usage:'],
    [['explode'], 2, 'unknown command "explode"'],
    [['summarize'], 2, 'summarize needs exactly one file'],
    [['summarize', 'a.jsonl', '--verbose'], 2, 'unknown option --verbose'],
    [['summarize', 'does-not-exist.jsonl'], 1, 'cannot read does-not-exist.jsonl: ENOENT'],
  ])('%j fails with exit code %i and says %j on stderr', async (args, code, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('a file without events is an error', async () => {
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '\n');
    const result = await cli('summarize', empty);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no events in');
  });
});
