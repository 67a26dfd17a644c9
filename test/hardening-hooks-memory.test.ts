import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_EVENTS, MAX_WAITING_BYTES } from '../src/emitter.js';
import type { MCPEvent, PostHogMCP } from '../src/index.js';
import { useIngestionServer } from './helpers/wire.js';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const MiB = 1_048_576;

const wire = useIngestionServer();

function heapMiB(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / MiB;
}

/** A beforeSend that holds every event until released; `reached` settles at its first call. */
function holdingHook() {
  const answers: ((value: null) => void)[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const callsReach = (count: number): Promise<void> =>
    new Promise((resolve) => {
      waiters.push({ count, resolve });
    });
  return {
    reached: callsReach(1),
    callsReach,
    get calls() {
      return answers.length;
    },
    beforeSend: (_event: MCPEvent) =>
      new Promise<null>((resolve) => {
        answers.push(resolve);
        for (const waiter of waiters) if (answers.length >= waiter.count) waiter.resolve();
      }),
    releaseAll: () => {
      for (const answer of answers.splice(0)) answer(null);
    },
  };
}

/** A distinct `chars`-long string, freshly allocated. */
function distinctText(index: number, chars: number): string {
  return `${index}:`.padEnd(chars, String.fromCharCode(97 + (index % 26)));
}

function client(hook: ReturnType<typeof holdingHook>, logs: string[] = []): PostHogMCP {
  return wire.client({
    hookTimeoutMs: 600_000,
    beforeSend: hook.beforeSend,
    logger: (_level, message) => logs.push(message),
  });
}

describe('events waiting on a hook hold bounded memory', () => {
  it('150 hung calls with 1 MB results each hold their sanitized properties, not their results', async () => {
    const hook = holdingHook();
    const posthog = client(hook);
    const before = heapMiB();
    for (let index = 0; index < 150; index++) {
      posthog.captureToolCall({
        toolName: 'big',
        durationMs: 1,
        response: { text: distinctText(index, MiB) },
      });
    }
    await hook.reached;
    const held = heapMiB() - before;
    expect(hook.calls).toBe(150);

    // 150 MB of results went through; what stays is at most the sanitized (string-capped) copies.
    expect(held).toBeLessThan(40);
    hook.releaseAll();
    await posthog.shutdown();
    expect(wire.server.events).toEqual([]);
  }, 60_000);

  it(`hung events past ${MAX_WAITING_BYTES / MiB} MiB of properties are dropped, said once`, async () => {
    const hook = holdingHook();
    const logs: string[] = [];
    const posthog = client(hook, logs);
    const before = heapMiB();
    for (let index = 0; index < 1_500; index++) {
      posthog.captureToolCall({
        toolName: 'mid',
        durationMs: 1,
        response: { text: distinctText(index, 40_000) },
      });
    }
    await hook.reached;
    const held = heapMiB() - before;

    // 1,500 events of ~40 KB would hold ~60 MB; the byte bound admits well under half of them.
    expect(hook.calls).toBeGreaterThan(100);
    expect(hook.calls).toBeLessThan(1_000);
    expect(held).toBeLessThan((3 * MAX_WAITING_BYTES) / MiB);
    expect(logs.filter((message) => message.includes('bytes; new ones are dropped'))).toHaveLength(1);
    hook.releaseAll();
    await posthog.shutdown();
  }, 60_000);

  it(`at most ${MAX_PENDING_EVENTS} events wait, counting those already in a hung hook`, async () => {
    const hook = holdingHook();
    const logs: string[] = [];
    const posthog = client(hook, logs);
    for (let index = 0; index < 6_000; index++) posthog.captureToolCall({ toolName: 'first', durationMs: 1 });
    await hook.reached;
    for (let index = 0; index < 6_000; index++) posthog.captureToolCall({ toolName: 'later', durationMs: 1 });
    // Every event of a batch reaches the hook in the same turn, so none comes after this.
    await hook.callsReach(MAX_PENDING_EVENTS);

    expect(hook.calls).toBe(MAX_PENDING_EVENTS);
    expect(logs.filter((message) => message.includes('new ones are dropped'))).toHaveLength(1);
    hook.releaseAll();
    await posthog.shutdown();
  }, 20_000);
});
