import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { PostHogOptions } from 'posthog-node';

/** One event as PostHog's `/batch/` endpoint receives it. */
export interface IngestedEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp?: string;
  uuid?: string;
  type?: string;
  [key: string]: unknown;
}

/** A decoded `/batch/` request body. */
export interface IngestedBody {
  api_key?: string;
  batch: IngestedEvent[];
  sent_at?: string;
  [key: string]: unknown;
}

/** How the server answers capture requests; anything but `'ok'` records nothing. */
export type IngestionMode =
  | 'ok'
  | 'reset'
  | 'hang'
  | 'garbage'
  | { status: number; headers?: Record<string, string>; body?: string }
  | { sequence: readonly IngestionMode[] };

/** A capture request answered in a fault mode, with the events it carried (decoded when possible). */
export interface FaultedRequest {
  /** The fault mode that answered it (never a sequence). */
  mode: Exclude<IngestionMode, { sequence: readonly IngestionMode[] }>;
  /** The events in its body. */
  events: IngestedEvent[];
}

/** Options for {@link startIngestionServer}. */
export interface IngestionServerOptions {
  /**
   * How capture requests are answered from the start.
   * @default 'ok'
   */
  mode?: IngestionMode;
}

/** A local PostHog ingestion endpoint for tests. */
export interface IngestionServer {
  /** The base URL to pass as posthog-node's `host`, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** Every event received, in arrival order. */
  readonly events: IngestedEvent[];
  /** Every decoded batch body, in arrival order. */
  readonly bodies: IngestedBody[];
  /** The `Content-Encoding` of every capture request (`undefined` when uncompressed). */
  readonly encodings: (string | undefined)[];
  /** How many HTTP requests arrived, on any path. */
  readonly requests: number;
  /** Every capture request answered in a fault mode, in arrival order. */
  readonly faulted: FaultedRequest[];
  /** The received events with this name. */
  eventsNamed(name: string): IngestedEvent[];
  /** Changes how capture requests are answered; `{ sequence }` answers each request with the next mode, cycling. */
  setMode(mode: IngestionMode): void;
  /** Forgets everything received and returns to `'ok'`. */
  reset(): void;
  /** Stops the server, dropping every open connection (including hanging ones). */
  close(): Promise<void>;
}

const CAPTURE_PATHS = ['/batch', '/i/v0/e', '/capture'];

function isCapturePath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0] ?? '';
  return CAPTURE_PATHS.some((prefix) => path.startsWith(prefix));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeBody(raw: Buffer, encoding: string | undefined): IngestedBody {
  const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  const parsed = JSON.parse(text) as IngestedBody | IngestedEvent;
  return Array.isArray((parsed as IngestedBody).batch)
    ? (parsed as IngestedBody)
    : { batch: [parsed as IngestedEvent] };
}

function decodeQuietly(raw: Buffer, encoding: string | undefined): IngestedEvent[] {
  try {
    return decodeBody(raw, encoding).batch;
  } catch {
    return [];
  }
}

function sendJson(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
}

/** Answers a capture request in a fault mode (never a sequence); tells whether it did. */
function answerFault(
  mode: FaultedRequest['mode'],
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  if (mode === 'ok') return false;
  if (mode === 'reset') request.socket.destroy();
  else if (mode === 'garbage') sendJson(response, 200, '{"status":1,,,not json');
  else if (mode !== 'hang') {
    response.writeHead(mode.status, { 'content-type': 'application/json', ...mode.headers });
    response.end(mode.body ?? '{}');
  }
  return true;
}

/**
 * Starts a PostHog ingestion server on `127.0.0.1` with a free port, recording the events posthog-node
 * sends to it.
 */
export async function startIngestionServer(options: IngestionServerOptions = {}): Promise<IngestionServer> {
  const events: IngestedEvent[] = [];
  const bodies: IngestedBody[] = [];
  const encodings: (string | undefined)[] = [];
  let requests = 0;
  const faulted: FaultedRequest[] = [];
  let mode: IngestionMode = options.mode ?? 'ok';
  let turn = 0;
  const nextMode = (): FaultedRequest['mode'] => {
    if (typeof mode !== 'object' || !('sequence' in mode)) return mode;
    const step = mode.sequence[turn++ % Math.max(1, mode.sequence.length)] ?? 'ok';
    return typeof step === 'object' && 'sequence' in step ? 'ok' : step;
  };

  const server = createServer((request, response) => {
    requests += 1;
    void (async () => {
      const raw = await readBody(request);
      if (request.method !== 'POST' || !isCapturePath(request.url)) return sendJson(response, 200, '{}');
      const encoding = request.headers['content-encoding'];
      const answer = nextMode();
      if (answer !== 'ok') {
        faulted.push({ mode: answer, events: decodeQuietly(raw, encoding) });
        answerFault(answer, request, response);
        return;
      }
      const body = decodeBody(raw, encoding);
      encodings.push(encoding);
      bodies.push(body);
      events.push(...body.batch);
      sendJson(response, 200, '{"status":1}');
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 400, JSON.stringify({ error: String(error) }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    events,
    bodies,
    encodings,
    get requests() {
      return requests;
    },
    faulted,
    eventsNamed: (name) => events.filter((event) => event.event === name),
    setMode(next) {
      mode = next;
      turn = 0;
    },
    reset() {
      events.length = 0;
      faulted.length = 0;
      bodies.length = 0;
      encodings.length = 0;
      requests = 0;
      mode = 'ok';
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * posthog-node options that send to `server` without retries, flag preloading or polling, and with a
 * 2-second request timeout so a hanging server cannot stall a test.
 */
export function createTestClientOptions(server: Pick<IngestionServer, 'url'>): PostHogOptions {
  return {
    host: server.url,
    fetchRetryCount: 0,
    fetchRetryDelay: 0,
    requestTimeout: 2000,
    preloadFeatureFlags: false,
    featureFlagsPollingInterval: null,
  };
}
