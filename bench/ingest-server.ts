/**
 * The benchmark's ingestion endpoint, run as a child process so that decoding and counting batches is not
 * charged to the measured process. It counts events per api key (one key per implementation and round),
 * remembers uuids to spot duplicates, and answers `GET /counts`. `POST /mode?m=reset` makes it drop every
 * capture connection (the endpoint is down); `m=ok` brings it back.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the server knows about one api key. */
export interface KeyCount {
  events: number;
  unique: number;
  bytes: number;
  requests: number;
}

interface Tally {
  events: number;
  uuids: Set<string>;
  bytes: number;
  requests: number;
}

const tallies = new Map<string, Tally>();
let mode: 'ok' | 'reset' = 'ok';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function record(raw: Buffer, encoding: string | undefined): void {
  const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  const body = JSON.parse(text) as { api_key?: string; batch?: { uuid?: string }[] };
  const key = body.api_key ?? '(none)';
  let tally = tallies.get(key);
  if (!tally) {
    tally = { events: 0, uuids: new Set(), bytes: 0, requests: 0 };
    tallies.set(key, tally);
  }
  tally.bytes += raw.length;
  tally.requests += 1;
  for (const event of body.batch ?? []) {
    tally.events += 1;
    tally.uuids.add(event.uuid ?? `missing-${tally.events}`);
  }
}

function counts(): Record<string, KeyCount> {
  const out: Record<string, KeyCount> = {};
  for (const [key, tally] of tallies)
    out[key] = {
      events: tally.events,
      unique: tally.uuids.size,
      bytes: tally.bytes,
      requests: tally.requests,
    };
  return out;
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'GET' && url.pathname === '/counts') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(counts()));
    return;
  }
  if (request.method === 'POST' && url.pathname === '/mode') {
    mode = url.searchParams.get('m') === 'reset' ? 'reset' : 'ok';
    response.end('{}');
    return;
  }
  if (mode === 'reset') {
    request.socket.destroy();
    return;
  }
  readBody(request).then(
    (raw) => {
      try {
        if (request.method === 'POST' && url.pathname.startsWith('/batch')) {
          record(raw, request.headers['content-encoding']);
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"status":1}');
      } catch (error) {
        response.writeHead(400);
        response.end(String(error));
      }
    },
    () => request.socket.destroy(),
  );
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ port });
});
process.on('disconnect', () => process.exit(0));
