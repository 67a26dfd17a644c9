import { afterEach, beforeEach, expect } from 'vitest';
import type { PostHogMCP } from '../../src/client';
import type { IngestedEvent, IngestionServer } from './ingestion-server';

/** Whether the long variants run (`LONG_TESTS=1`). */
export const LONG = process.env.LONG_TESTS === '1';

/** A local ingestion server and a PostHogMCP client pointed at it (see `useIngestionServer`). */
export interface Harness {
  server: IngestionServer;
  client: PostHogMCP;
}

/** Records every `unhandledRejection` and `uncaughtException` until disposed. */
export interface ProcessErrorWatch {
  readonly errors: unknown[];
  dispose(): void;
}

/** Installs process listeners that record unhandled rejections and uncaught exceptions. */
export function watchProcessErrors(): ProcessErrorWatch {
  const errors: unknown[] = [];
  const record = (error: unknown): void => {
    errors.push(error);
  };
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    errors,
    dispose() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

const originalConsoleError = console.error;

/**
 * Silences `console.error` without recording calls: posthog-node reports every failed background flush
 * there, and a recording spy would hold thousands of errors and distort heap measurements.
 */
export function silenceConsoleError(): void {
  console.error = () => undefined;
}

/** Restores the `console.error` replaced by {@link silenceConsoleError}. */
export function restoreConsoleError(): void {
  console.error = originalConsoleError;
}

/**
 * Around each test of the calling file: records unhandled rejections and uncaught exceptions (read `errors` in the
 * test), and with `quiet` silences posthog-node's `console.error` reports of failed background flushes.
 */
export function useProcessWatch(options: { quiet?: boolean; expectNone?: boolean } = {}): {
  readonly errors: unknown[];
} {
  let watch: ProcessErrorWatch | undefined;
  beforeEach(() => {
    watch = watchProcessErrors();
    if (options.quiet) silenceConsoleError();
  });
  afterEach(() => {
    if (options.quiet) restoreConsoleError();
    const errors = watch?.errors ?? [];
    watch?.dispose();
    if (options.expectNone) expect(errors).toEqual([]);
  });
  return {
    get errors() {
      return watch?.errors ?? [];
    },
  };
}

/** A small deterministic PRNG (mulberry32) for seeded delays and choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Yields to the event loop `turns` times (no timers). */
export async function yieldTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The compact UTF-8 JSON size of an event's properties. */
export function propertiesBytes(event: IngestedEvent): number {
  return Buffer.byteLength(JSON.stringify(event.properties), 'utf8');
}

/** Our own events on the wire (`$lib: posthog-node-mcp`). */
export function mcpEvents(server: IngestionServer): IngestedEvent[] {
  return server.events.filter((event) => event.properties.$lib === 'posthog-node-mcp');
}
