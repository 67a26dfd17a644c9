import { PostHog } from 'posthog-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTestClientOptions,
  type IngestionServer,
  startIngestionServer,
} from './helpers/ingestion-server.js';

let server: IngestionServer;

beforeEach(async () => {
  server = await startIngestionServer();
});

afterEach(async () => {
  await server.close();
});

function captureThree(client: PostHog): void {
  for (const index of [1, 2, 3]) {
    client.capture({ distinctId: 'user-1', event: `event_${index}`, properties: { index } });
  }
}

describe('the local ingestion server', () => {
  it('receives the events a plain posthog-node client sends, gzipped by default', async () => {
    const client = new PostHog('phc_test', createTestClientOptions(server));
    captureThree(client);
    await client.shutdown();

    expect(server.events.map((event) => event.event)).toEqual(['event_1', 'event_2', 'event_3']);
    for (const [position, event] of server.events.entries()) {
      expect(event.distinct_id).toBe('user-1');
      expect(event.properties.$lib).toBe('posthog-node');
      expect(event.properties.index).toBe(position + 1);
      expect(typeof event.uuid).toBe('string');
      expect(typeof event.timestamp).toBe('string');
    }
    expect(server.encodings.length).toBeGreaterThan(0);
    expect(server.encodings.every((encoding) => encoding === 'gzip')).toBe(true);
    expect(server.bodies.flatMap((body) => body.batch)).toHaveLength(3);
    expect(server.bodies[0]?.api_key).toBe('phc_test');
  });

  it('receives uncompressed bodies when compression is disabled', async () => {
    const client = new PostHog('phc_test', { ...createTestClientOptions(server), disableCompression: true });
    captureThree(client);
    await client.shutdown();

    expect(server.eventsNamed('event_2')).toHaveLength(1);
    expect(server.events).toHaveLength(3);
    expect(server.encodings.every((encoding) => encoding === undefined)).toBe(true);
  });

  it('answers other paths with an empty object and does not record them', async () => {
    const response = await fetch(`${server.url}/flags/?v=2`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(server.events).toHaveLength(0);
    expect(server.requests).toBe(1);
  });

  it('accepts a single event posted to the capture path', async () => {
    const body = JSON.stringify({ event: 'solo', distinct_id: 'd', properties: {} });
    const response = await fetch(`${server.url}/i/v0/e/`, { method: 'POST', body });
    expect(await response.json()).toEqual({ status: 1 });
    expect(server.eventsNamed('solo')).toHaveLength(1);
  });

  it('records nothing and answers with the chosen status in a status mode', async () => {
    server.setMode({ status: 503, headers: { 'retry-after': '1' }, body: '{"error":"busy"}' });
    const response = await fetch(`${server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.text()).toBe('{"error":"busy"}');
    expect(server.events).toHaveLength(0);
  });

  it('answers invalid JSON in garbage mode', async () => {
    server.setMode('garbage');
    const response = await fetch(`${server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    expect(response.status).toBe(200);
    await expect(response.clone().json()).rejects.toThrow();
  });

  it('drops the connection in reset mode', async () => {
    server.setMode('reset');
    await expect(fetch(`${server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' })).rejects.toThrow();
  });

  it('never answers in hang mode until the server closes', async () => {
    server.setMode('hang');
    const pending = fetch(`${server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await server.close();
    expect(await outcome).toBe('failed');
    server = await startIngestionServer();
  });

  it('a client survives a failing server without throwing from shutdown', async () => {
    server.setMode({ status: 500 });
    // posthog-node reports failed flushes on console.error; keep the test output clean.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const client = new PostHog('phc_test', createTestClientOptions(server));
    captureThree(client);
    await expect(client.shutdown()).resolves.toBeUndefined();
    expect(server.events).toHaveLength(0);
    expect(server.requests).toBeGreaterThan(0);
    expect(consoleError).toHaveBeenCalled();
    consoleError.mockRestore();
  });

  it('forgets everything and returns to ok mode on reset', async () => {
    server.setMode('garbage');
    await fetch(`${server.url}/batch/`, { method: 'POST', body: '{"batch":[]}' });
    server.reset();
    expect(server.requests).toBe(0);
    const client = new PostHog('phc_test', createTestClientOptions(server));
    client.capture({ distinctId: 'd', event: 'after_reset' });
    await client.shutdown();
    expect(server.events.map((event) => event.event)).toEqual(['after_reset']);
  });
});
