/** Memory: retained heap over many small events, and with the ingestion endpoint down. */

import type { ToolCallCaptureData } from '../src/capture-data';
import { ours as oursBuild } from './ours';

const { PostHogMCP } = oursBuild;

import { IDENTITY, REQUEST, SMALL } from './fixtures';
import { heapAfterGc, type IngestServer, nextTurn } from './measure';

/** Heap after a forced GC, sampled every `every` events. */
export interface HeapSeries {
  every: number;
  /** Bytes, one per sample, the first before any event. */
  samples: number[];
  received?: number;
  expected?: number;
}

/** Both memory checks. */
export interface MemoryResult {
  steady: HeapSeries;
  down: HeapSeries & { maxQueueSize: number; flushErrors?: number };
}

const DATA: ToolCallCaptureData = {
  toolName: 'get_forecast',
  intent: 'Check the forecast before booking the team offsite',
  parameters: SMALL.args,
  response: SMALL.result,
  durationMs: 4.2,
  isError: false,
  ...IDENTITY,
  ...REQUEST,
};

const BURST = 100;
const MAX_QUEUE_SIZE = 1_000;

/** Captures `total` small events on one client, flushing every 1,000 like a busy server, sampling the heap. */
async function steady(server: IngestServer, total: number, every: number): Promise<HeapSeries> {
  const key = 'phc_memory_steady';
  const client = new PostHogMCP(key, { host: server.url });
  const samples = [heapAfterGc()];
  for (let i = 1; i <= total; i++) {
    client.captureToolCall(DATA);
    if (i % BURST === 0) await nextTurn();
    if (i % 1_000 === 0) await client.flush();
    if (i % every === 0) samples.push(heapAfterGc());
  }
  await client.shutdown();
  const received = (await server.counts())[key]?.unique ?? 0;
  return { every, samples, received, expected: total };
}

/** Captures `total` events while every capture connection is reset; the queue must stop at its bound. */
async function endpointDown(
  server: IngestServer,
  total: number,
  every: number,
): Promise<MemoryResult['down']> {
  await server.setMode('reset');
  const client = new PostHogMCP('phc_memory_down', {
    host: server.url,
    maxQueueSize: MAX_QUEUE_SIZE,
    fetchRetryDelay: 200,
  });
  const samples = [heapAfterGc()];
  // posthog-node reports each failed flush on stderr; count those reports instead of printing them.
  const report = console.error;
  let flushErrors = 0;
  console.error = () => {
    flushErrors += 1;
  };
  try {
    for (let i = 1; i <= total; i++) {
      client.captureToolCall(DATA);
      if (i % BURST === 0) await nextTurn();
      if (i % every === 0) samples.push(heapAfterGc());
    }
  } finally {
    await server.setMode('ok');
  }
  // Back up: what is still queued (at most the bound) is delivered, so nothing is left pending at exit.
  await client.shutdown(10_000);
  console.error = report;
  const received = (await server.counts()).phc_memory_down?.unique ?? 0;
  return { every, samples, maxQueueSize: MAX_QUEUE_SIZE, received, expected: total, flushErrors };
}

/** Runs both memory checks. */
export async function runMemory(server: IngestServer, quick: boolean): Promise<MemoryResult> {
  return {
    steady: await steady(server, quick ? 10_000 : 100_000, quick ? 1_000 : 10_000),
    down: await endpointDown(server, quick ? 4_000 : 20_000, quick ? 500 : 2_000),
  };
}
