import { describe, expect, it } from 'vitest';
import type { PostHogMCPOptions } from '../src/client';
import type { MCPEvent } from '../src/types';
import { type Harness, LONG, useProcessWatch } from './helpers/hardening-harness';
import { accountDelivery, runToolTraffic } from './helpers/hardening-traffic';
import type { IngestionMode } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();
const watch = useProcessWatch({ quiet: true });

/** A client that flushes only when asked, recording the uuid of every event it hands to capture(). */
function manualHarness(options: PostHogMCPOptions = {}): { h: Harness; sent: Set<string> } {
  const sent = new Set<string>();
  const beforeSend = (event: MCPEvent): MCPEvent => {
    sent.add(event.uuid);
    return event;
  };
  const client = wire.client({
    flushAt: 1_000,
    exceptionRateLimit: false,
    flushInterval: 0,
    requestTimeout: 200,
    beforeSend,
    ...options,
  });
  return { h: { client, server: wire.server }, sent };
}

const SINGLE_FAULTS: [string, IngestionMode, { lost: 'batch' | 0; flushRejects: boolean }][] = [
  ['a 500', { status: 500 }, { lost: 'batch', flushRejects: true }],
  ['a 503', { status: 503 }, { lost: 'batch', flushRejects: true }],
  [
    'a 429 with Retry-After',
    { status: 429, headers: { 'retry-after': '3600' } },
    { lost: 'batch', flushRejects: true },
  ],
  ['a reset connection', 'reset', { lost: 0, flushRejects: true }],
  ['a hang past the request timeout', 'hang', { lost: 0, flushRejects: true }],
  ['a 200 with garbage JSON', 'garbage', { lost: 0, flushRejects: false }],
];

describe('one failing request without retries', () => {
  it.each(SINGLE_FAULTS)(
    '%s loses exactly what posthog-node drops and nothing reaches the host',
    async (_, mode, expected) => {
      const { h, sent } = manualHarness();
      await runToolTraffic(h.client, 27);
      h.server.setMode(mode);
      const flushed = await h.client.flush().then(
        () => false,
        () => true,
      );
      h.server.setMode('ok');
      await h.client.shutdown(5_000);

      expect(flushed).toBe(expected.flushRejects);
      expect(sent.size).toBe(29);
      const lost = expected.lost === 'batch' ? sent.size : 0;
      const account = accountDelivery(h.server, sent);
      expect(account.droppedByStatus).toBe(lost);
      expect(account.neverSent + account.strandedByNetwork + account.duplicates).toBe(0);
      expect(sent.size - account.delivered - account.acceptedGarbage).toBe(lost);
      expect(watch.errors).toEqual([]);
    },
  );

  it('a persistent 413 halves the batch down to one event and drops that one event per flush', async () => {
    const { h, sent } = manualHarness();
    await runToolTraffic(h.client, 27);
    h.server.setMode({ status: 413 });
    await expect(h.client.flush()).rejects.toThrow();
    const sizes = h.server.faulted.map((request) => request.events.length);
    h.server.setMode('ok');
    await h.client.shutdown(5_000);

    expect(sizes).toEqual([29, 14, 7, 3, 1]);
    expect(accountDelivery(h.server, sent)).toMatchObject({
      droppedByStatus: 1,
      delivered: 28,
      neverSent: 0,
    });
    // The smaller batch size stays for the client's lifetime: every later request carries one event.
    expect(h.server.bodies.every((body) => body.batch.length === 1)).toBe(true);
  });

  it('a single 413 is recovered by splitting the batch, losing nothing', async () => {
    const { h, sent } = manualHarness();
    await runToolTraffic(h.client, 27);
    h.server.setMode({ sequence: [{ status: 413 }, ...Array<IngestionMode>(9).fill('ok')] });
    await h.client.flush();
    await h.client.shutdown(5_000);

    expect(accountDelivery(h.server, sent)).toMatchObject({
      delivered: 29,
      droppedByStatus: 0,
      neverSent: 0,
    });
  });

  it('with retries, a 5xx or 429 followed by a success loses nothing (Retry-After is not waited for)', async () => {
    const { h, sent } = manualHarness({ fetchRetryCount: 1, fetchRetryDelay: 1 });
    await runToolTraffic(h.client, 27);
    h.server.setMode({ sequence: [{ status: 429, headers: { 'retry-after': '3600' } }, 'ok'] });
    await h.client.flush();
    await h.client.shutdown(5_000);

    expect(accountDelivery(h.server, sent)).toMatchObject({ delivered: 29, droppedByStatus: 0 });
    expect(h.server.faulted).toHaveLength(1);
  });
});

const FLAPPING: IngestionMode = {
  sequence: [
    'ok',
    { status: 500 },
    'ok',
    'reset',
    { status: 503 },
    'ok',
    'hang',
    'ok',
    { status: 429, headers: { 'retry-after': '1' } },
    'garbage',
  ],
};
const FLAPPING_CALLS = LONG ? 10_000 : 1_000;

describe('an endpoint flapping between healthy and failing', () => {
  it(`leaves ${FLAPPING_CALLS} tool results unchanged and accounts for every event after recovery`, async () => {
    const sent = new Set<string>();
    const client = wire.client({
      requestTimeout: 100,
      exceptionRateLimit: false,
      fetchRetryCount: 1,
      fetchRetryDelay: 1,
      beforeSend: (event) => {
        sent.add(event.uuid);
        return event;
      },
    });
    const { server } = wire;
    server.setMode(FLAPPING);
    const report = await runToolTraffic(client, FLAPPING_CALLS);
    await client.flush().catch(() => undefined);
    server.setMode('ok');
    await client.shutdown(30_000);

    expect(report.mismatches).toEqual([]);
    expect(sent.size).toBe(FLAPPING_CALLS * 1.1);
    const account = accountDelivery(server, sent);
    // Nothing is lost without an HTTP error answer. A duplicate is possible (at-least-once): a slow 2xx that
    // outlives requestTimeout is retried with the same uuid, which PostHog deduplicates.
    expect(account).toMatchObject({ neverSent: 0, strandedByNetwork: 0 });
    expect(account.delivered + account.acceptedGarbage + account.droppedByStatus).toBe(sent.size);
    const statusFaults = server.faulted.filter((request) => typeof request.mode === 'object');
    expect(statusFaults.length).toBeGreaterThan(0);
    expect(watch.errors).toEqual([]);
  }, 120_000);
});
