/** Measuring helpers: statistics, GC accounting, forced-GC heap readings and the child ingestion server. */
import { type ChildProcess, fork } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { KeyCount } from './ingest-server';

/** The three columns of the benchmark. */
export type Impl = 'floor' | 'peer' | 'ours';

/** Every column, in table order. */
export const IMPLS: readonly Impl[] = ['floor', 'peer', 'ours'];

/** The orders rounds cycle through, so no column always runs first or last. */
export const ORDERS: readonly (readonly Impl[])[] = [
  ['floor', 'peer', 'ours'],
  ['ours', 'peer', 'floor'],
  ['peer', 'ours', 'floor'],
  ['floor', 'ours', 'peer'],
  ['ours', 'floor', 'peer'],
  ['peer', 'floor', 'ours'],
];

/** The value at quantile `q` (0..1) of `values`, nearest-rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** The median of `values`. */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Median, minimum and maximum of a series. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The median, minimum and maximum of `values`. */
export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

interface GcEntry {
  start: number;
  duration: number;
}

const gcEntries: GcEntry[] = [];
let gcObserver: PerformanceObserver | undefined;

/** Starts recording garbage-collection pauses for `gcMsBetween`. */
export function observeGc(): void {
  if (gcObserver) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      gcEntries.push({ start: entry.startTime, duration: entry.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/** Stops recording garbage-collection pauses. */
export function stopObservingGc(): void {
  gcObserver?.disconnect();
  gcObserver = undefined;
}

/** Milliseconds of GC pause that started inside `[from, to]` (performance.now() clock); read it later, entries arrive async. */
export function gcMsBetween(from: number, to: number): number {
  let total = 0;
  for (const entry of gcEntries) if (entry.start >= from && entry.start <= to) total += entry.duration;
  return total;
}

const forcedGc = (globalThis as { gc?: () => void }).gc;

/** True when the process runs with `--expose-gc`. */
export const canForceGc = typeof forcedGc === 'function';

/** Heap used after a forced full GC (bytes); NaN without `--expose-gc`. */
export function heapAfterGc(): number {
  if (!forcedGc) return Number.NaN;
  forcedGc();
  forcedGc();
  return process.memoryUsage().heapUsed;
}

/** Lets the event loop turn once (I/O callbacks and immediates run). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The child process that ingests and counts events. */
export interface IngestServer {
  readonly url: string;
  counts(): Promise<Record<string, KeyCount>>;
  setMode(mode: 'ok' | 'reset'): Promise<void>;
  stop(): void;
}

/** Forks `ingest-server.ts` (under tsx) and waits for its port. */
export async function startIngestServer(): Promise<IngestServer> {
  const script = fileURLToPath(new URL('./ingest-server.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`ingestion server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async counts() {
      const response = await fetch(`${url}/counts`);
      return (await response.json()) as Record<string, KeyCount>;
    },
    async setMode(mode) {
      await (await fetch(`${url}/mode?m=${mode}`, { method: 'POST' })).text();
    },
    stop() {
      child.disconnect();
      child.kill();
    },
  };
}
