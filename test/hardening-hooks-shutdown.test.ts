import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MCPEvent } from '../src/index.js';
import { useProcessWatch } from './helpers/hardening-harness.js';
import type { IngestionServer } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();
/** Timer lateness allowed on a loaded two-core machine. */
const SLACK_MS = 700;

useProcessWatch({ quiet: true, expectNone: true });

/** A beforeSend that passes every event except those of the tool `hang`, which it never answers. */
const hangOnTool = (event: MCPEvent): MCPEvent | Promise<MCPEvent> =>
  event.properties.$mcp_tool_name === 'hang' ? new Promise(() => undefined) : event;

/** Captures `count` calls that pass the hook, then two it hangs on. */
function captureBeforeAndHang(client: ReturnType<typeof wire.client>, count = 10): void {
  for (let index = 0; index < count; index++)
    client.captureToolCall({ toolName: 'before', durationMs: index });
  for (let index = 0; index < 2; index++) client.captureToolCall({ toolName: 'hang', durationMs: index });
}

async function timed(work: Promise<unknown>): Promise<number> {
  const started = Date.now();
  await work;
  return Date.now() - started;
}

const names = (): string[] =>
  wire.server.eventsNamed('$mcp_tool_call').map((event) => String(event.properties.$mcp_tool_name));

describe('shutdown and flush keep their budgets while a hook hangs', () => {
  it('shutdown(1000) returns within its budget and delivers what was captured before the hang', async () => {
    const client = wire.client({ beforeSend: hangOnTool });
    captureBeforeAndHang(client);
    expect(await timed(client.shutdown(1_000))).toBeLessThan(1_000 + SLACK_MS);
    expect(names()).toEqual(Array(10).fill('before'));
  });

  it('shutdown(0) returns at once', async () => {
    const client = wire.client({ beforeSend: hangOnTool });
    captureBeforeAndHang(client);
    expect(await timed(client.shutdown(0))).toBeLessThan(SLACK_MS);
  });

  it('shutdown twice, one after the other or both at once, each keeps its budget and sends once', async () => {
    const client = wire.client({ beforeSend: hangOnTool });
    captureBeforeAndHang(client, 4);
    expect(await timed(client.shutdown(600))).toBeLessThan(600 + SLACK_MS);
    expect(await timed(client.shutdown(600))).toBeLessThan(600 + SLACK_MS);
    captureBeforeAndHang(client, 3);
    const both = Promise.all([client.shutdown(800), client.shutdown(800)]);
    expect(await timed(both)).toBeLessThan(800 + SLACK_MS);
    expect(names()).toEqual(Array(7).fill('before'));
  });

  it('flush during shutdown: both return within their budgets and deliver what passed the hook', async () => {
    const client = wire.client({ beforeSend: hangOnTool, hookTimeoutMs: 300 });
    captureBeforeAndHang(client);
    const elapsed = await timed(Promise.all([client.shutdown(1_500), client.flush()]));
    expect(elapsed).toBeLessThan(1_500 + SLACK_MS);
    expect(names()).toEqual(Array(10).fill('before'));
  });

  it('flush still rejects when the endpoint fails, while a hook hangs', async () => {
    const client = wire.client({ beforeSend: hangOnTool, hookTimeoutMs: 200 });
    wire.server.setMode({ status: 500 });
    captureBeforeAndHang(client);
    await expect(client.flush()).rejects.toThrow();
    wire.server.setMode('ok');
    await client.shutdown(1_000);
  });

  it('the promises handed to waitUntil settle, and what passed the hook is delivered', async () => {
    const handed: Promise<unknown>[] = [];
    const client = wire.client({
      beforeSend: hangOnTool,
      hookTimeoutMs: 200,
      waitUntil: (p) => handed.push(p),
    });
    captureBeforeAndHang(client, 5);
    expect(handed.length).toBeGreaterThan(0);
    await Promise.all(handed);
    expect(names()).toEqual(Array(5).fill('before'));
    await client.shutdown(1_000);
  });
});

describe('a hook that settles after shutdown', () => {
  function lateHook(settle: 'resolve' | 'reject') {
    let answer: () => void = () => undefined;
    const beforeSend = (event: MCPEvent) =>
      new Promise<MCPEvent>((resolve, reject) => {
        answer = () => (settle === 'resolve' ? resolve(event) : reject(new Error('late failure')));
      });
    return { beforeSend, answer: () => answer() };
  }

  it('an answer after shutdown is handed to posthog-node and goes out with the next flush', async () => {
    const hook = lateHook('resolve');
    const client = wire.client({ beforeSend: hook.beforeSend, hookTimeoutMs: 60_000 });
    client.captureToolCall({ toolName: 'late', durationMs: 1 });
    await client.shutdown(400);
    expect(names()).toEqual([]);
    hook.answer();
    await client.flush();
    expect(names()).toEqual(['late']);
  });

  it('a rejection after shutdown reaches neither the host nor the wire', async () => {
    const hook = lateHook('reject');
    const client = wire.client({ beforeSend: hook.beforeSend, hookTimeoutMs: 60_000 });
    client.captureToolCall({ toolName: 'late', durationMs: 1 });
    await client.shutdown(400);
    hook.answer();
    await client.flush();
    expect(wire.server.events).toEqual([]);
  });
});

const CLIENT_SOURCE = fileURLToPath(new URL('../src/client.ts', import.meta.url));

/** Hook set-ups for the child: each hangs on the `hang` tool's events only. */
const CHILD_HOOKS: Record<string, string> = {
  'a never-settling beforeSend': `beforeSend: (e) => (e.properties.$mcp_tool_name === 'hang' ? new Promise(() => {}) : e)`,
  'a beforeSend thenable that never calls back': `beforeSend: (e) => (e.properties.$mcp_tool_name === 'hang' ? { then() {} } : e)`,
  'a never-settling intentFallback': `intentFallback: () => new Promise(() => {})`,
};

/** Runs a process whose only handles are the client's; returns its exit code, shutdown time and linger. */
function runChild(
  server: IngestionServer,
  hook: string,
): Promise<{ code: number | null; shutdownMs: number; lingerMs: number }> {
  const script = `
    import { PostHogMCP } from ${JSON.stringify(CLIENT_SOURCE)};
    const posthog = new PostHogMCP('phc_child', { host: ${JSON.stringify(server.url)}, fetchRetryCount: 0,
      preloadFeatureFlags: false, featureFlagsPollingInterval: null, ${hook} });
    for (let i = 0; i < 10; i++) posthog.captureToolCall({ toolName: 'before', durationMs: i });
    const tool = { name: 'hang', inputSchema: { type: 'object', properties: {} } };
    for (let i = 0; i < 3; i++) posthog.completeToolCall(posthog.prepareToolCall('hang', {}, { tool }), {});
    const started = Date.now();
    await posthog.shutdown(1000);
    process.stderr.write('shutdown=' + (Date.now() - started) + ' at=' + Date.now() + '\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const exitedAt = Date.now();
      const match = /shutdown=(\d+) at=(\d+)/.exec(stderr);
      resolve({
        code,
        shutdownMs: match ? Number(match[1]) : Number.NaN,
        lingerMs: match ? exitedAt - Number(match[2]) : Number.NaN,
      });
    }),
  );
}

describe('a process with nothing else to do', () => {
  it.each(Object.keys(CHILD_HOOKS))(
    'with %s, await shutdown(1000) returns in time and the process exits 0',
    async (name) => {
      const { code, shutdownMs, lingerMs } = await runChild(wire.server, CHILD_HOOKS[name] as string);
      expect(code).toBe(0);
      expect(shutdownMs).toBeLessThan(1_000 + SLACK_MS);
      // A hung hook's timer must not keep the process alive after shutdown.
      expect(lingerMs).toBeLessThan(1_000);
      const delivered = wire.server
        .eventsNamed('$mcp_tool_call')
        .map((event) => event.properties.$mcp_tool_name);
      expect(delivered.filter((tool) => tool === 'before')).toHaveLength(10);
      // Still in a hook when posthog-node's share began: not sent, as documented.
      expect(delivered.filter((tool) => tool === 'hang')).toHaveLength(0);
    },
    30_000,
  );
});
