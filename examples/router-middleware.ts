/**
 * A hand-rolled MCP server whose whole JSON-RPC dispatcher is one `route` function, instrumented with one line:
 * `posthog.instrumentRouter(route, options)`. Run it over stdio (`tsx examples/router-middleware.ts`) or HTTP
 * (`tsx examples/router-middleware.ts http 3000`). Only JSON-RPC is written to stdout.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { MCP_SESSION_HEADER, PostHogMCP, type ToolDescriptor } from '../src/index';

type Message = { jsonrpc?: string; id?: string | number; method?: string; params?: Record<string, unknown> };
type Response = { jsonrpc: '2.0'; id: string | number; result?: unknown; error?: unknown };

/** The server's tools, as it advertises them before analytics decorates the list. */
export const TOOLS: ToolDescriptor[] = [
  {
    name: 'search_docs',
    description: 'Search the documentation.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    _meta: { category: 'docs' },
  },
  {
    name: 'divide',
    description: 'Divide a by b.',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
  },
];

const reply = (id: string | number, result: unknown): Response => ({ jsonrpc: '2.0', id, result });
const fail = (id: string | number, code: number, message: string): Response => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});

function callTool(id: string | number, params: Record<string, unknown>): Response {
  const args = (params.arguments ?? {}) as Record<string, unknown>;
  if (params.name === 'search_docs') {
    return reply(id, { content: [{ type: 'text', text: `3 pages match "${String(args.query)}".` }] });
  }
  if (params.name === 'divide') {
    if (args.b === 0)
      return reply(id, { content: [{ type: 'text', text: 'Cannot divide by zero.' }], isError: true });
    return reply(id, { content: [{ type: 'text', text: String(Number(args.a) / Number(args.b)) }] });
  }
  return fail(id, -32602, `Unknown tool: ${String(params.name)}`);
}

/**
 * The server's whole dispatcher: one JSON-RPC message in, its response (or nothing, for a notification) out;
 * a batch in, the array of its responses out (nothing when it held only notifications).
 */
export function route(message: readonly unknown[]): Response[] | undefined;
export function route(message: unknown): Response | undefined;
export function route(message: unknown): Response | Response[] | undefined {
  if (!Array.isArray(message)) return answer(message);
  const responses = message.map(answer).filter((response) => response !== undefined);
  return responses.length > 0 ? responses : undefined;
}

function answer(message: unknown): Response | undefined {
  const { id, method, params = {} } = message as Message;
  if (id === undefined) return undefined;
  switch (method) {
    case 'initialize':
      return reply(id, {
        protocolVersion: params.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {}, resources: {}, prompts: {} },
        serverInfo: { name: 'router-middleware-example', version: '1.0.0' },
      });
    case 'ping':
      return reply(id, {});
    case 'tools/list':
      return reply(id, { tools: TOOLS });
    case 'tools/call':
      return callTool(id, params);
    case 'resources/list':
      return reply(id, { resources: [{ uri: 'docs://readme', name: 'README' }] });
    case 'resources/read':
      return reply(id, { contents: [{ uri: params.uri, text: '# Secret-free readme' }] });
    case 'prompts/list':
      return reply(id, { prompts: [{ name: 'summarize' }] });
    case 'prompts/get':
      return reply(id, { messages: [{ role: 'user', content: { type: 'text', text: 'Summarize.' } }] });
    default:
      return fail(id, -32601, `Method not found: ${String(method)}`);
  }
}

/** Serves newline-delimited JSON-RPC on `input`/`output` until `input` ends. */
export async function serveStdio(posthog: PostHogMCP, input: Readable, output: Writable): Promise<void> {
  const connection = {};
  const handle = posthog.instrumentRouter(route, { tools: () => TOOLS, session: () => ({ connection }) });
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      output.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })}\n`,
      );
      continue;
    }
    const response = handle(message, undefined);
    if (response !== undefined) output.write(`${JSON.stringify(response)}\n`);
  }
}

type HttpContext = { req: IncomingMessage; res: ServerResponse };

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Serves JSON-RPC over HTTP POST as a legacy stateless server that mints session tokens. */
export function serveHttp(posthog: PostHogMCP, port = 0): Promise<Server> {
  const handle = posthog.instrumentRouter(route, {
    tools: () => TOOLS,
    headers: ({ req }: HttpContext) => req.headers,
    session: ({ req }: HttpContext) => req.headers[MCP_SESSION_HEADER] as string | undefined,
    identify: async ({ req }: HttpContext) => {
      const user = req.headers['x-user-id'];
      return typeof user === 'string' ? { distinctId: user, properties: { plan: 'pro' } } : null;
    },
    mintSessionToken: true,
    onSessionToken: (token, { res }: HttpContext) => res.setHeader(MCP_SESSION_HEADER, token),
  });
  const server = createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    void (async () => {
      let message: unknown;
      try {
        message = await readJson(req);
      } catch {
        return void res.writeHead(400).end();
      }
      const response = await handle(message, { req, res });
      if (response === undefined) return void res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
    })();
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<void> {
  const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? 'phc_example', {
    host: process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com',
    serverName: 'router-middleware-example',
    logger: 'stderr',
  });
  const stop = async () => {
    await posthog.shutdown();
    process.stderr.write(`mcpDiagnostics: ${JSON.stringify(posthog.mcpDiagnostics(), null, 2)}\n`);
  };
  if (process.argv[2] === 'http') {
    const server = await serveHttp(posthog, Number(process.argv[3] ?? 0));
    process.stderr.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
    process.once('SIGINT', () => server.close(() => void stop()));
    process.once('SIGTERM', () => server.close(() => void stop()));
    return;
  }
  await serveStdio(posthog, process.stdin, process.stdout);
  await stop();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
