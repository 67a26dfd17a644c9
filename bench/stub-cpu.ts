/**
 * A/B aid: CPU per event of `captureToolCall` against the floor's `capture()` of the same recorded bag, with
 * posthog-node's `fetch` stubbed (batches are still built, serialized and gzipped, but never sent), so HTTP timing
 * and batching do not add their noise: about ±2 µs between runs, where `npm run bench` moves ±15% on small events.
 * `STUB_SCENARIO=small|medium|large` (default small), `STUB_IMPLS=ours,floor`, `STUB_ROUNDS` (default 40).
 * `npx tsx bench/stub-cpu.ts` (measures the built package when `dist/` exists: `npm run build` first).
 */
import { PostHog } from 'posthog-node';
import type { MCPEvent } from '../src/index';
import { freshBag } from './columns';
import { IDENTITY, LARGE, MEDIUM, SMALL, TOOL_NAME, UUID_REQUEST } from './fixtures';
import { nextTurn } from './measure';
import { ours } from './ours';

type Impl = 'floor' | 'ours';
const PAYLOADS = { small: SMALL, medium: MEDIUM, large: LARGE } as const;
const name = (process.env.STUB_SCENARIO ?? 'small') as keyof typeof PAYLOADS;
const payload = PAYLOADS[name];
const impls = (process.env.STUB_IMPLS ?? 'ours,floor').split(',') as Impl[];
const rounds = Number(process.env.STUB_ROUNDS ?? 40);
const calls = name === 'large' ? 20 : 400;
const host = 'http://127.0.0.1:9';
const fetch = (async () => new Response('{}', { status: 200 })) as never;
const data = {
  toolName: TOOL_NAME,
  intent: 'Check the forecast before booking the team offsite',
  parameters: 'args' in payload ? payload.args : undefined,
  response: payload.result,
  durationMs: 12.4,
  isError: false,
  ...IDENTITY,
  ...UUID_REQUEST,
};

async function recordedBag(): Promise<MCPEvent> {
  const bags: MCPEvent[] = [];
  const beforeSend = (event: MCPEvent): MCPEvent => {
    bags.push(event);
    return event;
  };
  const client = new ours.PostHogMCP('phc_stub', { host, fetch, beforeSend });
  client.captureToolCall(data);
  await client.shutdown();
  return bags[0] as MCPEvent;
}

async function round(impl: Impl, bag: MCPEvent): Promise<number> {
  const client =
    impl === 'ours'
      ? new ours.PostHogMCP('phc_stub', { host, fetch, exceptionRateLimit: false })
      : new PostHog('phc_stub', { host, fetch });
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    if (client instanceof ours.PostHogMCP) client.captureToolCall(data);
    else {
      const properties = freshBag(bag.properties);
      client.capture({
        distinctId: bag.distinctId,
        event: bag.event,
        properties,
        ...(bag.groups ? { groups: bag.groups } : {}),
      });
    }
    if (i % 10 === 9) await nextTurn();
  }
  await client.shutdown();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
}

const bag = await recordedBag();
const samples: Record<Impl, number[]> = { floor: [], ours: [] };
for (let r = 0; r < rounds + 5; r++) for (const impl of impls) samples[impl].push(await round(impl, bag));
for (const impl of impls) {
  const sorted = samples[impl].slice(5).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  process.stdout.write(
    `${name} ${impl}: ${median.toFixed(1)} µs CPU/event (fetch stubbed, ${rounds} rounds)\n`,
  );
}
