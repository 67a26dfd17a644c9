import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { serveStdio } from '../../examples/stdio-router';
import type { PostHogMCP } from '../../src/index';
import type { IngestionServer } from './ingestion-server';

/** The repository root, for spawning the examples. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A client transport speaking newline-delimited JSON-RPC over in-process streams. */
class StreamClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #buffer = new ReadBuffer();

  constructor(
    readonly toServer: PassThrough,
    readonly fromServer: PassThrough,
  ) {}

  async start(): Promise<void> {
    this.fromServer.on('data', (chunk: Buffer) => {
      this.#buffer.append(chunk);
      for (let message = this.#buffer.readMessage(); message; message = this.#buffer.readMessage())
        this.onmessage?.(message);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.toServer.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.toServer.end();
    this.onclose?.();
  }
}

/** The stdio example router run in-process (so vitest can move its time), driven by the official client. */
export async function connectInProcessStdio(
  posthog: PostHogMCP,
): Promise<{ client: Client; output: string[]; close(): Promise<void> }> {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const output: string[] = [];
  fromServer.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const served = serveStdio(posthog, toServer, fromServer);
  const client = new Client({ name: 'in-process-agent', version: '2.0.0' });
  await client.connect(new StreamClientTransport(toServer, fromServer));
  return {
    client,
    output,
    close: async () => {
      await client.close();
      await served;
    },
  };
}

/** The stdio example router as a child process (`node --import tsx`), driven by the official client. */
export async function spawnStdioRouter(
  server: IngestionServer,
): Promise<{ client: Client; stderr: string[]; close(): Promise<void> }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'examples/stdio-router.ts'],
    cwd: REPO_ROOT,
    env: { ...(process.env as Record<string, string>), POSTHOG_HOST: server.url, POSTHOG_API_KEY: 'phc_e2e' },
    stderr: 'pipe',
  });
  const stderr: string[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const client = new Client({ name: 'e2e-agent', version: '1.2.3' });
  await client.connect(transport);
  return { client, stderr, close: () => client.close() };
}

/** An official client connected over Streamable HTTP. */
export async function connectHttp(url: string, name = 'http-agent'): Promise<Client> {
  const client = new Client({ name, version: '3.1.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** The text of every text block of a tool result. */
export function textsOf(result: unknown): string[] {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.filter((block) => block.type === 'text').map((block) => block.text ?? '');
}
