import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LONG, useProcessWatch } from './helpers/hardening-harness';
import { runToolTraffic } from './helpers/hardening-traffic';
import type { IngestionServer } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const wire = useIngestionServer();
const watch = useProcessWatch({ quiet: true });

function heapMiB(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 1_048_576;
}

const QUEUE_BOUND = LONG ? 10_000 : 500;
const PHASE_CALLS = LONG ? 8_000 : 1_000;

describe('an endpoint that is down for the whole run', () => {
  it('keeps at most the queue bound, levels the heap off and delivers exactly that bound on recovery', async () => {
    const client = wire.client({ maxQueueSize: QUEUE_BOUND, requestTimeout: 100 });
    const { server } = wire;
    server.setMode('reset');
    const heap: number[] = [heapMiB()];
    let faults = 0;
    for (let phase = 0; phase < 3; phase++) {
      await runToolTraffic(client, PHASE_CALLS, phase + 1);
      await client.flush().catch(() => undefined);
      faults += server.faulted.length;
      // The test server keeps every faulted body; forget them so only the client's memory is measured.
      server.faulted.length = 0;
      heap.push(heapMiB());
    }
    server.setMode('ok');
    await client.shutdown(30_000);

    expect(faults).toBeGreaterThan(0);
    expect(server.events).toHaveLength(QUEUE_BOUND);
    // Each phase sends more events than the queue holds, so the last phase must not grow the heap
    // by anything like a phase's worth of events (a wide margin: no timing, no tight numbers).
    const firstGrowth = (heap[1] ?? 0) - (heap[0] ?? 0);
    const lastGrowth = (heap[3] ?? 0) - (heap[2] ?? 0);
    expect(lastGrowth).toBeLessThan(Math.max(4, firstGrowth / 2));
    expect(watch.errors).toEqual([]);
  }, 180_000);

  it('shutdown(timeoutMs) returns within its timeout while the endpoint hangs', async () => {
    const harness = { client: wire.client({ requestTimeout: 60_000 }), server: wire.server };
    harness.server.setMode('hang');
    await runToolTraffic(harness.client, 100);
    void harness.client.flush().catch(() => undefined);
    const started = Date.now();
    await expect(harness.client.shutdown(500)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500 + 5_000);
  }, 30_000);

  it('shutdown(timeoutMs) returns within its timeout while a beforeSend never settles', async () => {
    const harness = {
      client: wire.client({ beforeSend: () => new Promise(() => undefined) }),
      server: wire.server,
    };
    await runToolTraffic(harness.client, 20);
    const started = Date.now();
    await expect(harness.client.shutdown(300)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(300 + 5_000);
    expect(harness.server.events).toHaveLength(0);
  }, 30_000);
});

const CLIENT_SOURCE = fileURLToPath(new URL('../src/client.ts', import.meta.url));

/** Runs a separate Node process that captures to `server` and shuts down; resolves with its exit code and run time. */
function runChild(
  server: IngestionServer,
  requestTimeout: number,
): Promise<{ code: number | null; ms: number }> {
  const script = `
    import { PostHogMCP } from ${JSON.stringify(CLIENT_SOURCE)};
    const client = new PostHogMCP('phc_child', { host: ${JSON.stringify(server.url)}, requestTimeout: ${requestTimeout},
      fetchRetryCount: 0, preloadFeatureFlags: false, featureFlagsPollingInterval: null });
    for (let i = 0; i < 50; i++) client.captureToolCall({ toolName: 'child', durationMs: i });
    await client.shutdown(300);
  `;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, ms: Date.now() - started })));
}

describe('a process shutting down against a hanging endpoint', () => {
  it('exits on its own once the in-flight request times out', async () => {
    wire.server.setMode('hang');
    const { code, ms } = await runChild(wire.server, 1_500);
    expect(code).toBe(0);
    // Startup, then the shutdown timeout, then at most posthog-node's request timeout for the open request.
    expect(ms).toBeLessThan(1_500 + 15_000);
  }, 60_000);
});
