import type { PostHogOptions } from 'posthog-node';

/** posthog-node's `fetch` option. */
export type PostHogFetch = NonNullable<PostHogOptions['fetch']>;

/** The request options posthog-node hands to its `fetch`. */
export type PostHogFetchRequest = Parameters<PostHogFetch>[1];

/** The response posthog-node expects back from its `fetch`. */
export type PostHogFetchReply = Awaited<ReturnType<PostHogFetch>>;

/** One event as PostHog's `/batch/` endpoint would receive it. */
export interface SinkEvent {
  /** The event name, e.g. `$mcp_tool_call`. */
  event: string;
  /** The person or session the event belongs to. */
  distinct_id: string;
  /** The event's properties as posthog-node sent them (`$lib` included). */
  properties: Record<string, unknown>;
  /** The event's ISO timestamp. */
  timestamp?: string;
  /** The event's uuid. */
  uuid?: string;
  /** Any other member of the batch entry. */
  [key: string]: unknown;
}

/** Anything text can be written to, such as a `Writable`. */
export interface TextWritable {
  /** Writes one chunk of text. */
  write(chunk: string): unknown;
}

/** Options of {@link createEventSink}. */
export interface EventSinkOptions {
  /** Append every event as one JSON line to this file (created if missing). */
  file?: string;
  /** Also write every event as one JSON line to `'stderr'` or a stream; stdout is refused. */
  stream?: 'stderr' | TextWritable;
  /**
   * Keep every event in `sink.events`.
   * @default true
   */
  memory?: boolean;
}

/** A local stand-in for PostHog's ingestion endpoint, plugged in through posthog-node's `fetch` option. */
export interface EventSink {
  /** Pass as posthog-node's `fetch` option: it receives the batches the client would send to PostHog. */
  readonly fetch: PostHogFetch;
  /** Every event received, in arrival order (empty when `memory` is `false`). */
  readonly events: SinkEvent[];
  /** The received events with this name. */
  eventsNamed(name: string): SinkEvent[];
  /** Forgets the events kept in memory. */
  clear(): void;
}

const CAPTURE_PATHS = ['/batch', '/i/v0/e', '/capture'];
const GZIP_MAGIC = [0x1f, 0x8b] as const;

function isCaptureUrl(url: string): boolean {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  return CAPTURE_PATHS.some((prefix) => path.startsWith(prefix));
}

function reply(status: number, body: unknown): PostHogFetchReply {
  const text = JSON.stringify(body);
  return {
    status,
    text: async () => text,
    json: async () => JSON.parse(text),
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
  };
}

async function toBytes(body: PostHogFetchRequest['body'] | ArrayBuffer): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array();
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return new Uint8Array(await body.arrayBuffer());
}

function isGzipped(bytes: Uint8Array, headers: Record<string, string>): boolean {
  const encoding = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-encoding');
  if (encoding?.[1].toLowerCase() === 'gzip') return true;
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

/** Decodes a capture request body (plain or gzipped JSON) into its events. */
export async function decodeCaptureBody(
  body: PostHogFetchRequest['body'] | ArrayBuffer,
  headers: Record<string, string> = {},
): Promise<SinkEvent[]> {
  const bytes = await toBytes(body);
  const text = isGzipped(bytes, headers) ? await gunzip(bytes) : new TextDecoder().decode(bytes);
  const parsed = JSON.parse(text) as { batch?: unknown } | SinkEvent;
  const batch = 'batch' in parsed && Array.isArray(parsed.batch) ? parsed.batch : [parsed];
  return batch as SinkEvent[];
}

function resolveStream(stream: EventSinkOptions['stream']): TextWritable | undefined {
  if (stream === undefined) return undefined;
  if (stream === 'stderr') return process.stderr;
  if (stream === process.stdout) {
    throw new TypeError('createEventSink: `stream` must not be stdout (stdio servers speak JSON-RPC there)');
  }
  if (typeof stream?.write !== 'function') {
    throw new TypeError("createEventSink: `stream` must be 'stderr' or have a write(chunk) method");
  }
  return stream;
}

/**
 * Creates a local event sink: pass `sink.fetch` as posthog-node's `fetch` option and every batch the client
 * would send to PostHog is decoded and kept in memory, appended as JSON lines to a file, or written to stderr.
 *
 * @example
 * const sink = createEventSink();
 * const posthog = new PostHogMCP('phc_test', { fetch: sink.fetch });
 * // … handle requests …
 * await posthog.flush();
 * expect(sink.eventsNamed('$mcp_tool_call')).toHaveLength(1);
 */
export function createEventSink(options: EventSinkOptions = {}): EventSink {
  const events: SinkEvent[] = [];
  const fetch = sinkFetch(options, (received) => {
    if (options.memory ?? true) events.push(...received);
  });
  return {
    fetch,
    events,
    eventsNamed: (name) => events.filter((event) => event.event === name),
    clear() {
      events.length = 0;
    },
  };
}

/** posthog-node's `fetch` for the sink: decodes each capture batch, writes it in order, then hands it on. */
function sinkFetch(options: EventSinkOptions, keep: (received: SinkEvent[]) => void): PostHogFetch {
  const stream = resolveStream(options.stream);
  let writing: Promise<void> = Promise.resolve();
  const write = async (lines: string): Promise<void> => {
    stream?.write(lines);
    if (options.file === undefined) return;
    const { appendFile } = await import('node:fs/promises');
    await appendFile(options.file, lines, 'utf8');
  };
  return async (url, request) => {
    if (request.method !== 'POST' || !isCaptureUrl(url)) return reply(200, {});
    let received: SinkEvent[];
    try {
      received = await decodeCaptureBody(request.body, request.headers);
    } catch (error) {
      return reply(400, { error: `undecodable capture body: ${String(error)}` });
    }
    const written = writing.then(() => write(received.map((event) => `${JSON.stringify(event)}\n`).join('')));
    writing = written.catch(() => undefined);
    try {
      await written;
    } catch (error) {
      return reply(500, { error: `could not write events: ${String(error)}` });
    }
    keep(received);
    return reply(200, { status: 1 });
  };
}
