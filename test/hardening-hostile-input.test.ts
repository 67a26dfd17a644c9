import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostHogMCPOptions } from '../src/client';
import type { MCPEvent } from '../src/types';
import { hammerPublicMethods } from './helpers/hardening-hammer';
import {
  type Harness,
  LONG,
  propertiesBytes,
  startHarness,
  watchProcessErrors,
} from './helpers/hardening-harness';
import {
  build,
  HOSTILE_BUILDERS,
  isPrototypePolluted,
  TEN_MB,
  throwingProxy,
} from './helpers/hardening-hostile';

const RUNS = LONG ? 300 : 40;
const MAX_EVENT_BYTES = 102_400;

let harness: Harness | undefined;
let watch: ReturnType<typeof watchProcessErrors>;

beforeEach(() => {
  watch = watchProcessErrors();
});

afterEach(async () => {
  await harness?.client.shutdown(5_000);
  await harness?.server.close();
  harness = undefined;
  watch.dispose();
});

/** Hammers every public method on a client with `options`, then checks the wire and the process. */
async function hammer(options: PostHogMCPOptions, seed = 20_260_601): Promise<void> {
  harness = await startHarness({ flushAt: 50, collectFeedback: true, reportMissing: true, ...options });
  const { client, server } = harness;
  const thrown = await hammerPublicMethods(client, RUNS, seed);
  await client.shutdown(30_000);
  expect(thrown).toEqual([]);
  expect(server.events.length).toBeGreaterThan(0);
  for (const event of server.events) {
    expect(typeof event.event).toBe('string');
    expect(typeof event.distinct_id).toBe('string');
    expect(event.distinct_id).not.toBe('');
    expect(propertiesBytes(event)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  }
  expect(isPrototypePolluted()).toBe(false);
  expect(watch.errors).toEqual([]);
}

let turn = 0;
/** The next hostile value, cycling through every builder. */
function nextHostile(): unknown {
  turn = (turn + 1) % HOSTILE_BUILDERS.length;
  return build({ hostile: turn });
}

/** beforeSend results that are not a clean event. */
const JUNK_EDITS: ((event: MCPEvent) => unknown)[] = [
  () => nextHostile(),
  (event) => ({ ...event, properties: nextHostile() }),
  (event) => ({ ...event, properties: { ...event.properties, extra: nextHostile() } }),
  (event) => ({ ...event, properties: { ...event.properties, huge: TEN_MB } }),
  (event) => ({ ...event, distinctId: nextHostile() }),
  (event) => ({ ...event, groups: nextHostile() }),
  (event) => ({ ...event, timestamp: nextHostile() }),
  (event) => ({ ...event, uuid: nextHostile() }),
  (event) => ({ ...event, event: nextHostile() }),
  () => throwingProxy(),
  () => Promise.reject(new Error('hostile hook')),
  () => Promise.resolve(nextHostile()),
  () => {
    throw new Error('hostile hook');
  },
];

describe('hostile input to every public method', () => {
  it('never throws, and every event on the wire is JSON within 102,400 bytes', async () => {
    await hammer({});
  }, 300_000);

  it('holds with parameters as keys only and without responses', async () => {
    await hammer({ captureParameters: 'keys', captureResponse: false }, 7);
  }, 300_000);
});

describe('hostile option callbacks', () => {
  it('a beforeSend returning junk, huge or throwing values never puts an invalid event on the wire', async () => {
    let edit = 0;
    await hammer({ beforeSend: (event) => JUNK_EDITS[edit++ % JUNK_EDITS.length]?.(event) as MCPEvent }, 11);
  }, 300_000);

  it('an intentFallback returning junk, throwing or rejecting is ignored', async () => {
    let call = 0;
    const fallbacks: (() => unknown)[] = [
      nextHostile,
      () => Promise.resolve(nextHostile()),
      () => Promise.reject(new Error('no intent')),
      () => {
        throw new Error('no intent');
      },
      () => ({
        // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point
        then: () => {
          throw new Error('thenable');
        },
      }),
      () => TEN_MB,
    ];
    await hammer({ intentFallback: () => fallbacks[call++ % fallbacks.length]?.() as string }, 13);
  }, 300_000);

  it('a throwing logger changes nothing for the host', async () => {
    await hammer(
      {
        logger: () => {
          throw new Error('logger');
        },
      },
      17,
    );
  }, 300_000);
});
