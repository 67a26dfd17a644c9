import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCaptureBody, type SinkEvent } from '../src/testing';

/** A local PostHog ingestion endpoint that records what posthog-node sends to it. */
export interface LocalIngestion {
  /** The base URL to use as posthog-node's `host`. */
  readonly url: string;
  /** Every event received, in arrival order. */
  readonly events: SinkEvent[];
  /** Capture requests the upstream PostHog refused or could not be reached for (relay mode only). */
  readonly failures: string[];
  close(): Promise<void>;
}

const CAPTURE_PATHS = ['/batch', '/i/v0/e', '/capture'];

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
}

/** Sends a capture request on to a real PostHog host; resolves to its status and body. */
async function relay(upstream: string, request: IncomingMessage, body: Buffer): Promise<[number, string]> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const encoding = request.headers['content-encoding'];
  if (typeof encoding === 'string') headers['content-encoding'] = encoding;
  const reply = await fetch(new URL(request.url ?? '/batch/', upstream), { method: 'POST', headers, body });
  return [reply.status, await reply.text()];
}

/**
 * Starts an ingestion endpoint on 127.0.0.1. With `upstream` (a PostHog host) it also relays every capture
 * request there, so the demo can show what it sent.
 */
export async function startLocalIngestion(upstream?: string): Promise<LocalIngestion> {
  const events: SinkEvent[] = [];
  const failures: string[] = [];
  const seen = new Set<string>();
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = (request.url ?? '').split('?')[0] ?? '';
      if (request.method !== 'POST' || !CAPTURE_PATHS.some((p) => path.startsWith(p))) {
        return answer(response, 200, '{}');
      }
      const received = await decodeCaptureBody(new Uint8Array(body), {
        'content-encoding': String(request.headers['content-encoding'] ?? ''),
      });
      // posthog-node retries a refused batch; keep each event once.
      for (const event of received) {
        if (event.uuid !== undefined && seen.has(event.uuid)) continue;
        if (event.uuid !== undefined) seen.add(event.uuid);
        events.push(event);
      }
      if (upstream === undefined) return answer(response, 200, '{"status":1}');
      const [status, text] = await relay(upstream, request, body);
      if (status >= 300) failures.push(`${status} ${text.slice(0, 200)}`);
      answer(response, status, text);
    })().catch((error: unknown) => {
      failures.push(String(error));
      if (!response.headersSent) answer(response, 502, JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    failures,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
