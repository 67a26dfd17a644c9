/**
 * The README's quick start exactly as printed: its ```ts block is written to a fresh directory as `server.ts`,
 * next to a `node_modules/posthog-mcp-analytics` that re-exports this checkout's source, run with the `tsx`
 * binary as a user would, and driven by the official MCP client over Streamable HTTP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EmptyResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/mcp-client';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();
const MARKER = '<!-- snippet: examples/quick-start.ts#quick-start -->\n```ts\n';

/** The quick-start block of README.md, byte for byte. */
function readmeQuickStart(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(MARKER);
  expect(start, 'README.md has the quick-start block').toBeGreaterThan(-1);
  const code = readme.slice(start + MARKER.length);
  return code.slice(0, code.indexOf('\n```\n') + 1);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'readme-quick-start-'));
  const pkg = join(dir, 'node_modules', 'posthog-mcp-analytics');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'posthog-mcp-analytics', exports: './index.ts' }),
  );
  writeFileSync(join(pkg, 'index.ts'), `export * from ${JSON.stringify(join(REPO_ROOT, 'src/index.ts'))};\n`);
  writeFileSync(join(dir, 'server.ts'), readmeQuickStart());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
}

/** Starts `tsx server.ts` on a free port and resolves once it said where it listens (on stderr). */
async function startServer(env: Record<string, string>): Promise<Running> {
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['server.ts'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: '0', POSTHOG_HOST: wire.server.url, ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk.toString('utf8'));
      const found = /http:\/\/localhost:\d+\/mcp/.exec(stderr.join(''));
      if (found) resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr.join('')}`)));
  });
  return { child, url, stdout, stderr };
}

async function stop(running: Running, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(running.child, 'exit');
  running.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

describe('the README quick start, run as printed', () => {
  it('serves the official client over Streamable HTTP and sends the events, with nothing on stdout', async () => {
    const running = await startServer({ POSTHOG_API_KEY: 'phc_readme_quick_start' });
    const client = new Client({ name: 'readme-agent', version: '4.5.6' });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['search_docs', 'get_more_tools']);
    expect(tools[0]?.inputSchema.required).toEqual(expect.arrayContaining(['query', 'context', 'llm_model']));
    await client.ping();
    const found = await client.callTool({
      name: 'search_docs',
      arguments: { query: 'refunds', context: 'find the refund policy', llm_model: 'claude-sonnet-4' },
    });
    expect(found.content).toEqual([{ type: 'text', text: 'No page matches refunds.' }]);
    const missing = await client.callTool({
      name: 'get_more_tools',
      arguments: { context: 'a calendar tool' },
    });
    expect(missing.isError).not.toBe(true);
    await expect(client.callTool({ name: 'book_flight', arguments: {} })).rejects.toThrow(
      /-32602.*book_flight/,
    );
    await expect(client.request({ method: 'resources/list' }, EmptyResultSchema)).rejects.toThrow(/-32601/);
    await client.close();

    expect(await stop(running, 'SIGTERM')).toBe(0);
    expect(running.stdout.join('')).toBe('');
    const byName = (name: string) => wire.server.eventsNamed(name).map((event) => event.properties);
    expect(byName('$mcp_initialize')).toEqual([
      expect.objectContaining({ $mcp_client_name: 'readme-agent', $mcp_client_version: '4.5.6' }),
    ]);
    expect(byName('$mcp_tool_call')).toEqual([
      expect.objectContaining({
        $mcp_tool_name: 'search_docs',
        $mcp_intent: 'find the refund policy',
        $mcp_llm_model: 'claude-sonnet-4',
        $mcp_client_name: 'readme-agent',
        $mcp_is_error: false,
        $mcp_server_name: 'docs-server',
      }),
    ]);
    expect(byName('$mcp_missing_capability')).toEqual([
      expect.objectContaining({ $mcp_intent: 'a calendar tool', $mcp_client_name: 'readme-agent' }),
    ]);
    expect(byName('$mcp_unknown_tool')).toEqual([expect.objectContaining({ $mcp_tool_name: 'book_flight' })]);
    const sessions = new Set(wire.server.events.map((event) => event.properties.$session_id));
    expect(sessions.size).toBe(1);
  }, 60_000);

  it('exits 0 on SIGINT, and without an API key says so once on stderr and sends nothing', async () => {
    const running = await startServer({});
    const client = new Client({ name: 'keyless-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    await client.callTool({ name: 'search_docs', arguments: { query: 'q', context: 'c', llm_model: 'm' } });
    await client.close();
    expect(await stop(running, 'SIGINT')).toBe(0);
    expect(running.stdout.join('')).toBe('');
    const warnings = running.stderr
      .join('')
      .split('\n')
      .filter((line) => line.includes('API key'));
    expect(warnings).toHaveLength(1);
    expect(wire.server.requests).toBe(0);
  }, 60_000);
});
