import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT, PostHogMCP, PROP } from '../src/index';
import { createEventSink, decodeCaptureBody } from '../src/testing';

const tool = {
  name: 'search_docs',
  description: 'Search the docs.',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } } },
};

function serveOneCall(posthog: PostHogMCP, isError = false): void {
  const call = posthog.prepareToolCall(
    'search_docs',
    { query: 'refunds', context: 'find the refund policy' },
    { tool, session: 'session-1' },
  );
  posthog.completeToolCall(call, { result: { content: [{ type: 'text', text: 'ok' }], isError } });
}

function collectingStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createEventSink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sink-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('receives the events a tool call sends, decoded from the gzipped batch, in memory', async () => {
    const sink = createEventSink();
    const encodings: (string | undefined)[] = [];
    const posthog = new PostHogMCP('phc_test', {
      serverName: 'docs',
      fetch: (url, request) => {
        encodings.push(request.headers['Content-Encoding']);
        return sink.fetch(url, request);
      },
    });
    serveOneCall(posthog);
    await posthog.shutdown();
    expect(encodings).toEqual(['gzip']);
    const [call] = sink.eventsNamed(EVENT.toolCall);
    expect(call?.properties[PROP.toolName]).toBe('search_docs');
    expect(call?.properties[PROP.intent]).toBe('find the refund policy');
    expect(call?.properties[PROP.lib]).toBe('posthog-node-mcp');
    expect(call?.properties[PROP.serverName]).toBe('docs');
    expect(call?.uuid).toEqual(expect.any(String));
  });

  it('also receives uncompressed batches and the host’s own capture() events', async () => {
    const sink = createEventSink();
    const posthog = new PostHogMCP('phc_test', { fetch: sink.fetch, disableCompression: true });
    serveOneCall(posthog, true);
    posthog.capture({ distinctId: 'user-1', event: 'signed_up' });
    await posthog.shutdown();
    expect(sink.events.map((event) => event.event).sort()).toEqual(
      [EVENT.exception, EVENT.toolCall, 'signed_up'].sort(),
    );
    expect(sink.eventsNamed('signed_up')[0]?.properties[PROP.lib]).toBe('posthog-node');
  });

  it('appends one JSON line per event to a file, across flushes', async () => {
    const file = join(dir, 'events.jsonl');
    const sink = createEventSink({ file, memory: false });
    const posthog = new PostHogMCP('phc_test', { fetch: sink.fetch });
    serveOneCall(posthog);
    await posthog.flush();
    serveOneCall(posthog);
    await posthog.shutdown();
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => JSON.parse(line).event)).toEqual([EVENT.toolCall, EVENT.toolCall]);
    expect(sink.events).toEqual([]);
  });

  it('writes JSON lines to a given stream and refuses stdout', async () => {
    const { stream, text } = collectingStream();
    const sink = createEventSink({ stream });
    const posthog = new PostHogMCP('phc_test', { fetch: sink.fetch });
    serveOneCall(posthog);
    await posthog.shutdown();
    expect(JSON.parse(text().trimEnd()).event).toBe(EVENT.toolCall);
    expect(() => createEventSink({ stream: process.stdout })).toThrow(TypeError);
  });

  it('clear() forgets the events kept so far', async () => {
    const sink = createEventSink();
    const posthog = new PostHogMCP('phc_test', { fetch: sink.fetch });
    serveOneCall(posthog);
    await posthog.flush();
    sink.clear();
    serveOneCall(posthog);
    await posthog.shutdown();
    expect(sink.eventsNamed(EVENT.toolCall)).toHaveLength(1);
  });

  it('answers requests other than captures with empty JSON, and captures like a fetch Response', async () => {
    const sink = createEventSink();
    const flags = await sink.fetch('https://us.i.posthog.com/flags/?v=2', { method: 'POST', headers: {} });
    expect(flags.status).toBe(200);
    expect(await flags.json()).toEqual({});
    const body = JSON.stringify({ api_key: 'k', batch: [{ event: 'a', distinct_id: 'd', properties: {} }] });
    const batch = await sink.fetch('https://us.i.posthog.com/batch/', { method: 'POST', headers: {}, body });
    expect(batch.status).toBe(200);
    expect(await batch.text()).toBe('{"status":1}');
    expect(sink.events).toEqual([{ event: 'a', distinct_id: 'd', properties: {} }]);
  });

  it('answers an undecodable body with a 400 and records nothing', async () => {
    const sink = createEventSink();
    const reply = await sink.fetch('http://x/batch/', { method: 'POST', headers: {}, body: 'not json' });
    expect(reply.status).toBe(400);
    expect(sink.events).toEqual([]);
  });
});

describe('decodeCaptureBody', () => {
  const payload = { batch: [{ event: 'a', distinct_id: 'd', properties: { n: 1 } }] };
  const json = JSON.stringify(payload);
  const gzipped = new Uint8Array(gzipSync(json));
  const cases: [string, () => Parameters<typeof decodeCaptureBody>[0]][] = [
    ['a string', () => json],
    ['a Uint8Array', () => new TextEncoder().encode(json)],
    ['an ArrayBuffer', () => new TextEncoder().encode(json).buffer as ArrayBuffer],
    ['a Blob', () => new Blob([json])],
    ['gzipped bytes', () => gzipped],
    ['a gzipped Blob', () => new Blob([gzipped])],
  ];
  it.each(cases)('decodes %s', async (_label, body) => {
    expect(await decodeCaptureBody(body())).toEqual(payload.batch);
  });

  it('treats a single event body as a batch of one', async () => {
    expect(await decodeCaptureBody(JSON.stringify({ event: 'b', distinct_id: 'd', properties: {} }))).toEqual(
      [{ event: 'b', distinct_id: 'd', properties: {} }],
    );
  });
});
