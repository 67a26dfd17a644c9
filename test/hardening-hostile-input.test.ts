import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PostHogMCP, PostHogMCPOptions } from '../src/client';
import type { MCPEvent } from '../src/types';
import { callEveryMethod, everyFieldHolding, hammerPublicMethods } from './helpers/hardening-hammer';
import { LONG, propertiesBytes, useProcessWatch } from './helpers/hardening-harness';
import {
  build,
  HOSTILE_BUILDERS,
  HOSTILE_VALUES,
  isPrototypePolluted,
  TEN_MB,
  throwingGetters,
  throwingProxy,
} from './helpers/hardening-hostile';
import { useIngestionServer } from './helpers/wire';

const RUNS = LONG ? 300 : 40;
const MAX_EVENT_BYTES = 102_400;

const wire = useIngestionServer();
const watch = useProcessWatch();

afterEach(() => {
  vi.restoreAllMocks();
});

/** After shutdown: every event on the wire is named, attributed and bounded, and the process took no harm. */
function expectCleanWire(): void {
  for (const event of wire.server.events) {
    expect(typeof event.event).toBe('string');
    expect(typeof event.distinct_id).toBe('string');
    expect(event.distinct_id).not.toBe('');
    expect(propertiesBytes(event)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  }
  expect(isPrototypePolluted()).toBe(false);
  expect(watch.errors).toEqual([]);
}

describe('every public method × every hostile value', () => {
  it.each(HOSTILE_VALUES)(
    'every method accepts %s in every argument position without throwing or writing to stdout',
    async (_label, make) => {
      const stdout = vi.spyOn(process.stdout, 'write');
      const client = wire.client();
      const args = { value: make(), a: everyFieldHolding(make), b: everyFieldHolding(make) };
      expect(callEveryMethod(client, args)).toEqual([]);
      await expect(client.flush()).resolves.toBeUndefined();
      await expect(client.shutdown()).resolves.toBeUndefined();
      expect(stdout).not.toHaveBeenCalled();
      expectCleanWire();
    },
  );

  it('a hostile error still yields a failed call on the wire', async () => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', isError: true, error: throwingProxy() });
    client.captureToolCall({ toolName: 'search', error: throwingGetters() });
    await client.shutdown();

    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.properties.$mcp_is_error).toBe(true);
  });

  it('a throwing logger function never reaches the host', async () => {
    const client = wire.client({
      logger: () => {
        throw new Error('logger broke');
      },
    });
    expect(() => client.captureToolCall(null as never)).not.toThrow();
    expect(() => client.prepareToolList(throwingProxy() as never)).not.toThrow();
    await client.shutdown();
  });
});

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

/** intentFallback results that are not an intent. */
const JUNK_FALLBACKS: (() => unknown)[] = [
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

/** Client options to hammer under, each with its fast-check seed. */
const HAMMER_CASES: [string, () => PostHogMCPOptions, number][] = [
  ['never throws, and every event on the wire is JSON within 102,400 bytes', () => ({}), 20_260_601],
  [
    'holds with parameters as keys only and without responses',
    () => ({ captureParameters: 'keys', captureResponse: false }),
    7,
  ],
  [
    'a beforeSend returning junk, huge or throwing values never puts an invalid event on the wire',
    () => {
      let edit = 0;
      return { beforeSend: (event) => JUNK_EDITS[edit++ % JUNK_EDITS.length]?.(event) as MCPEvent };
    },
    11,
  ],
  [
    'an intentFallback returning junk, throwing or rejecting is ignored',
    () => {
      let call = 0;
      return { intentFallback: () => JUNK_FALLBACKS[call++ % JUNK_FALLBACKS.length]?.() as string };
    },
    13,
  ],
  [
    'a throwing logger changes nothing for the host',
    () => ({
      logger: () => {
        throw new Error('logger');
      },
    }),
    17,
  ],
];

describe('every public method hammered with generated hostile arguments', () => {
  it.each(HAMMER_CASES)(
    '%s',
    async (_sentence, options, seed) => {
      const client: PostHogMCP = wire.client({
        flushAt: 50,
        collectFeedback: true,
        reportMissing: true,
        ...options(),
      });
      const thrown = await hammerPublicMethods(client, RUNS, seed);
      await client.shutdown(30_000);
      expect(thrown).toEqual([]);
      expect(wire.server.events.length).toBeGreaterThan(0);
      expectCleanWire();
    },
    300_000,
  );
});
