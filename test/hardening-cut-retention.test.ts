import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { PostHogMCP, ToolCallCaptureData } from '../src/index.js';
import { useIngestionServer } from './helpers/wire.js';

/**
 * A string cut to a limit must not keep the string it was cut from. A slice shares its source's memory, so an event
 * waiting to be sent with 32 KB of a 1 MB result would hold the whole megabyte: 60 such events, 60 MB. Prose is used
 * on purpose: no redaction pass rewrites it, so nothing copies it by accident.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const MiB = 1_048_576;
const CALLS = 60;

const wire = useIngestionServer();

function heapMiB(): number {
  // Twice: V8 drops a string used as a property key from its string table a collection after the object using it.
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / MiB;
}

/** About 1 MB of distinct prose, as one flat string (so a slice of it really shares its memory). */
function megabyteOfProse(index: number): string {
  const words = `report ${index} lists open invoices for the north region with totals per customer `;
  return words
    .repeat(Math.ceil(MiB / words.length))
    .slice(0, MiB)
    .split('')
    .join('');
}

const SHAPES: [string, (text: string) => Partial<ToolCallCaptureData>][] = [
  ['a text result', (text) => ({ response: { content: [{ type: 'text', text }] } })],
  ['a failing text result', (text) => ({ response: { isError: true, content: [{ type: 'text', text }] } })],
  ['a parameter value', (text) => ({ parameters: { query: text } })],
  ['a parameter key', (text) => ({ parameters: { [text]: 1 } })],
  ['a nested result value', (text) => ({ response: { structuredContent: { rows: [{ note: text }] } } })],
  ['an intent', (text) => ({ intent: text })],
  ['an error message', (text) => ({ error: new Error(text) })],
];

/** A client that keeps every event queued (no flush until shutdown), counting events as they reach its queue. */
function holdingClient(): { client: PostHogMCP; queued: () => number } {
  let queued = 0;
  const client = wire.client({
    flushAt: 10_000,
    flushInterval: 600_000,
    before_send: (event) => {
      queued += 1;
      return event;
    },
  });
  return { client, queued: () => queued };
}

/** Waits until `calls` tool calls reached the queue and nothing more arrived for 100 ms ($exception siblings too). */
async function settled(queued: () => number, calls: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = -1;
  while (Date.now() < deadline && (queued() < calls || queued() !== last)) {
    last = queued();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('events waiting to be sent hold their cut strings, not the strings they were cut from', () => {
  it.each(SHAPES)('%s of 1 MB, 60 calls', async (_, shape) => {
    const { client, queued } = holdingClient();
    const before = heapMiB();
    for (let i = 0; i < CALLS; i++) {
      client.captureToolCall({ toolName: 'search', durationMs: 2, ...shape(megabyteOfProse(i)) });
    }
    // Every event built and handed to posthog-node, where it waits in the queue.
    await settled(queued, CALLS);
    const held = heapMiB() - before;
    expect(held, `${held.toFixed(1)} MiB held by ${CALLS} waiting events`).toBeLessThan(20);
    await client.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(CALLS);
  });
});
