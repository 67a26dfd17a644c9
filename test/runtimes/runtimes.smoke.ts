import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestedEvent, IngestionServer } from '../helpers/ingestion-server.js';
import { useIngestionServer } from '../helpers/wire.js';
import {
  assertBuilt,
  bin,
  bundleWorker,
  freePort,
  lowestPeerConsumer,
  ROOT,
  removeTempDirs,
  run,
  SMOKE_SCRIPT,
  writeWorkerdConfig,
} from './helpers.js';

const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const PEER_FLOOR = pkg.peerDependencies['posthog-node']!.slice(1);
const LOCKED = (
  JSON.parse(readFileSync(`${ROOT}/node_modules/posthog-node/package.json`, 'utf8')) as { version: string }
).version;
// DO_NOT_TRACK and POSTHOG_MCP_DISABLED would turn the package off (its opt-out): cleared even where the machine sets them.
const QUIET = { NO_COLOR: '1', DO_NOT_TRACK: '', POSTHOG_MCP_DISABLED: '', DENO_NO_UPDATE_CHECK: '1' };

const wire = useIngestionServer();
const timings: Record<string, number> = {};

beforeAll(() => assertBuilt());
afterAll(() => {
  removeTempDirs();
  const line = Object.entries(timings).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)}s`);
  console.log(`runtime smoke timings: ${line.join(', ')}`);
});

const named = (server: IngestionServer, name: string): IngestedEvent[] => server.eventsNamed(name);

/** A successful call, a failed call with its `$exception`, and the host's own event, each labelled right. */
function expectSmokeEvents(server: IngestionServer, posthogNodeVersion: string): void {
  const names = server.events.map((event) => event.event).sort();
  expect(names).toEqual(['$exception', '$mcp_tool_call', '$mcp_tool_call', 'smoke_host']);
  const calls = named(server, '$mcp_tool_call');
  expect(calls.map((event) => event.properties.$mcp_is_error).sort()).toEqual([false, true]);
  const failed = calls.find((event) => event.properties.$mcp_is_error === true)!;
  expect(failed.properties.$mcp_error_type).toBe('RangeError');
  const ok = calls.find((event) => event.properties.$mcp_is_error === false)!;
  expect(ok.properties.$mcp_intent).toMatch(/^smoke on /);
  const [exception] = named(server, '$exception');
  expect(exception?.properties.$exception_list).toEqual([
    expect.objectContaining({ type: 'RangeError', value: 'query must not be empty' }),
  ]);
  for (const event of [...calls, exception!]) {
    expect(event.properties).toMatchObject({ $lib: 'posthog-node-mcp', $lib_version: pkg.version });
  }
  const [host] = named(server, 'smoke_host');
  expect(host?.properties).toMatchObject({ $lib: 'posthog-node', $lib_version: posthogNodeVersion });
}

const runtimes: [name: string, command: () => string, args: string[]][] = [
  ['node', () => process.execPath, [SMOKE_SCRIPT]],
  ['bun', () => bin('bun'), ['run', SMOKE_SCRIPT]],
  [
    'deno',
    () => bin('deno'),
    ['run', '--no-prompt', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', SMOKE_SCRIPT],
  ],
];

describe('the built package sends MCP events on each runtime', () => {
  it.each(runtimes)(
    '%s: a call and a failure with $exception reach the ingestion server',
    async (name, command, args) => {
      const result = await run(command(), args, {
        ...QUIET,
        POSTHOG_HOST: wire.server.url,
        SMOKE_RUNTIME: name,
      });
      timings[name] = result.ms;
      expect(result.stderr).not.toMatch(/error/i);
      expect(result).toMatchObject({ code: 0, stdout: '' });
      expectSmokeEvents(wire.server, LOCKED);
    },
  );

  it('node with the lowest posthog-node the peer range admits', async () => {
    const entry = lowestPeerConsumer();
    const env = { ...QUIET, POSTHOG_HOST: wire.server.url, SMOKE_RUNTIME: 'node', SMOKE_ENTRY: entry };
    const result = await run(process.execPath, [SMOKE_SCRIPT], env);
    timings[`node+posthog-node@${PEER_FLOOR}`] = result.ms;
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expectSmokeEvents(wire.server, PEER_FLOOR);
  });
});

/** Polls the server until `count` events arrived: the Worker sends them after its responses, in `waitUntil`. */
async function eventsArrive(server: IngestionServer, count: number, deadlineMs = 15_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (server.events.length < count && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function waitForListening(url: string, child: ChildProcess, deadlineMs = 30_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until && child.exitCode === null) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error('workerd did not start listening');
}

describe('examples/worker.ts on workerd', () => {
  let bundleDir = '';
  beforeAll(async () => {
    bundleDir = await bundleWorker();
  });

  it('answers MCP JSON-RPC and sends its events through ctx.waitUntil', async () => {
    const started = performance.now();
    const port = await freePort();
    const config = writeWorkerdConfig(bundleDir, port, wire.server.url);
    const child = spawn(bin('workerd'), ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = `http://127.0.0.1:${port}/`;
    const post = (body: object, session?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(session ? { 'mcp-session-id': session } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', ...body }),
      });
    try {
      await waitForListening(url, child);
      const init = await post({
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', clientInfo: { name: 'smoke-client', version: '1.2.3' } },
      });
      const session = init.headers.get('mcp-session-id') ?? undefined;
      expect(session).toBeTruthy();
      const notified = await post({ method: 'notifications/initialized' }, session);
      expect(notified.status).toBe(202);
      expect(await notified.text()).toBe('');
      const call = (query: string, id: number) =>
        post({ id, method: 'tools/call', params: { name: 'search_docs', arguments: { query } } }, session);
      expect(
        ((await (await call('pricing', 2)).json()) as { result: { isError?: boolean } }).result.isError,
      ).toBe(undefined);
      expect(((await (await call('', 3)).json()) as { result: { isError?: boolean } }).result.isError).toBe(
        true,
      );
      await eventsArrive(wire.server, 4);
    } finally {
      child.kill('SIGTERM');
    }
    timings.workerd = performance.now() - started;
    expect(output).not.toMatch(/uncaught|error/i);
    const names = wire.server.events.map((event) => event.event).sort();
    expect(names).toEqual(['$exception', '$mcp_initialize', '$mcp_tool_call', '$mcp_tool_call']);
    expect(named(wire.server, '$mcp_initialize')[0]?.properties.$mcp_client_name).toBe('smoke-client');
    const [exception] = named(wire.server, '$exception');
    expect(exception?.properties.$exception_list).toEqual([
      expect.objectContaining({ type: 'RangeError', value: 'query must not be empty' }),
    ]);
    for (const event of wire.server.events) expect(event.properties.$lib).toBe('posthog-node-mcp');
  });
});
