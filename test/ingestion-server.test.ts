import { PostHog } from 'posthog-node';
import { describe, expect, it, vi } from 'vitest';
import { createTestClientOptions } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

function captureThree(client: PostHog): void {
  for (const index of [1, 2, 3]) {
    client.capture({ distinctId: 'user-1', event: `event_${index}`, properties: { index } });
  }
}

describe('the local ingestion server', () => {
  it('receives the events a plain posthog-node client sends, gzipped by default', async () => {
    const client = new PostHog('phc_test', createTestClientOptions(wire.server));
    captureThree(client);
    await client.shutdown();

    expect(wire.server.events.map((event) => event.event)).toEqual(['event_1', 'event_2', 'event_3']);
    for (const [position, event] of wire.server.events.entries()) {
      expect(event.distinct_id).toBe('user-1');
      expect(event.properties.$lib).toBe('posthog-node');
      expect(event.properties.index).toBe(position + 1);
      expect(typeof event.uuid).toBe('string');
      expect(typeof event.timestamp).toBe('string');
    }
    expect(wire.server.encodings.length).toBeGreaterThan(0);
    expect(wire.server.encodings.every((encoding) => encoding === 'gzip')).toBe(true);
    expect(wire.server.bodies.flatMap((body) => body.batch)).toHaveLength(3);
    expect(wire.server.bodies[0]?.api_key).toBe('phc_test');
  });

  it('receives uncompressed bodies when compression is disabled', async () => {
    const client = new PostHog('phc_test', {
      ...createTestClientOptions(wire.server),
      disableCompression: true,
    });
    captureThree(client);
    await client.shutdown();

    expect(wire.server.eventsNamed('event_2')).toHaveLength(1);
    expect(wire.server.events).toHaveLength(3);
    expect(wire.server.encodings.every((encoding) => encoding === undefined)).toBe(true);
  });

  it('answers other paths with an empty object and does not record them', async () => {
    const response = await fetch(`${wire.server.url}/flags/?v=2`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(wire.server.events).toHaveLength(0);
    expect(wire.server.requests).toBe(1);
  });

  it('accepts a single event posted to the capture path', async () => {
    const body = JSON.stringify({ event: 'solo', distinct_id: 'd', properties: {} });
    const response = await fetch(`${wire.server.url}/i/v0/e/`, { method: 'POST', body });
    expect(await response.json()).toEqual({ status: 1 });
    expect(wire.server.eventsNamed('solo')).toHaveLength(1);
  });

  it('records nothing and answers with the chosen status in a status mode', async () => {
    wire.server.setMode({ status: 503, headers: { 'retry-after': '1' }, body: '{"error":"busy"}' });
    const response = await fetch(`${wire.server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.text()).toBe('{"error":"busy"}');
    expect(wire.server.events).toHaveLength(0);
  });

  it('answers invalid JSON in garbage mode', async () => {
    wire.server.setMode('garbage');
    const response = await fetch(`${wire.server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    expect(response.status).toBe(200);
    await expect(response.clone().json()).rejects.toThrow();
  });

  it('drops the connection in reset mode', async () => {
    wire.server.setMode('reset');
    await expect(
      fetch(`${wire.server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' }),
    ).rejects.toThrow();
  });

  it('never answers in hang mode until the server closes', async () => {
    wire.server.setMode('hang');
    const pending = fetch(`${wire.server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await wire.server.close();
    expect(await outcome).toBe('failed');
  });

  it('a client survives a failing server without throwing from shutdown', async () => {
    wire.server.setMode({ status: 500 });
    // posthog-node reports failed flushes on console.error; keep the test output clean.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const client = new PostHog('phc_test', createTestClientOptions(wire.server));
    captureThree(client);
    await expect(client.shutdown()).resolves.toBeUndefined();
    expect(wire.server.events).toHaveLength(0);
    expect(wire.server.requests).toBeGreaterThan(0);
    expect(consoleError).toHaveBeenCalled();
    consoleError.mockRestore();
  });

  it('forgets everything and returns to ok mode on reset', async () => {
    wire.server.setMode('garbage');
    await fetch(`${wire.server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    wire.server.reset();
    expect(wire.server.requests).toBe(0);
    const client = new PostHog('phc_test', createTestClientOptions(wire.server));
    client.capture({ distinctId: 'd', event: 'after_reset' });
    await client.shutdown();
    expect(wire.server.events.map((event) => event.event)).toEqual(['after_reset']);
  });
});
