import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { PostHogMCP } from '../src/index';
import { callTool, createAnalytics, initializeResult, listTools, type RpcReply } from './tools';

const SERVER_NAME = 'demo-stdio-server';

interface RpcMessage {
  id?: string | number | null;
  method?: string;
  params?: { _meta?: Record<string, unknown>; [key: string]: unknown };
}

/** Answers one JSON-RPC request; `undefined` for notifications. */
async function answer(posthog: PostHogMCP, message: RpcMessage, connection: object): Promise<RpcReply> {
  const session = { connection };
  const meta = message.params?._meta;
  switch (message.method) {
    case 'initialize': {
      const result = initializeResult(SERVER_NAME, message.params?.protocolVersion);
      posthog.captureInitialize({ parameters: message.params, response: result, session });
      return { result };
    }
    case 'ping':
      return { result: {} };
    case 'tools/list': {
      const result = listTools(posthog);
      posthog.captureToolsList({ tools: result.tools, response: result, session, ...(meta ? { meta } : {}) });
      return { result };
    }
    case 'tools/call':
      return callTool(posthog, message.params, { session, ...(meta ? { meta } : {}) });
    default:
      return { error: { code: -32601, message: `Method not found: ${String(message.method)}` } };
  }
}

/**
 * Serves newline-delimited JSON-RPC on `input`/`output` (stdout by default) until `input` ends, then
 * shuts the analytics client down. Only JSON-RPC is ever written to `output`.
 */
export async function serveStdio(
  posthog: PostHogMCP,
  input: Readable = process.stdin,
  output: Writable = process.stdout,
): Promise<void> {
  const connection = {};
  const pending = new Set<Promise<void>>();
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    let message: RpcMessage;
    try {
      message = JSON.parse(line) as RpcMessage;
    } catch {
      output.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })}\n`,
      );
      continue;
    }
    if (message.id === undefined) continue; // notifications/initialized and other notifications
    const work = answer(posthog, message, connection).then((reply) => {
      output.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, ...reply })}\n`);
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  }
  await Promise.allSettled(pending);
  await posthog.shutdown();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const posthog = createAnalytics(SERVER_NAME);
  process.once('SIGTERM', () => {
    void posthog.shutdown().finally(() => process.exit(0));
  });
  serveStdio(posthog).catch((error: unknown) => {
    process.stderr.write(`stdio router failed: ${String(error)}\n`);
    process.exitCode = 1;
  });
}
