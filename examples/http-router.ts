import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { encodeSessionToken, MCP_SESSION_HEADER, newSessionId, type PostHogMCP } from '../src/index';
import { callTool, createAnalytics, initializeResult, listTools, type RpcReply } from './tools';

const SERVER_NAME = 'demo-http-server';
/** The stateless revision: no `initialize`, no session, conversation handles group the calls. */
const STATELESS_REVISION = '2026-07-28';

/** Options of {@link createServer}. */
export interface HttpRouterOptions {
  /** The analytics client. @default createAnalytics() */
  posthog?: PostHogMCP;
  /** Never mint an `Mcp-Session-Id`, as a stateless deployment behind a load balancer would. @default false */
  stateless?: boolean;
}

interface RpcMessage {
  id?: string | number | null;
  method?: string;
  params?: { _meta?: Record<string, unknown>; [key: string]: unknown };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** One JSON-RPC request on its way through the router. */
interface Exchange {
  posthog: PostHogMCP;
  message: RpcMessage;
  req: IncomingMessage;
  res: ServerResponse;
  stateless: boolean;
}

/** `initialize`: a legacy client without a session gets a minted session token as its `Mcp-Session-Id`. */
function initialize({ posthog, message, req, res, stateless }: Exchange): RpcReply {
  const params = message.params ?? {};
  const result = initializeResult(SERVER_NAME, params.protocolVersion);
  const { name, version } = (params.clientInfo ?? {}) as { name?: string; version?: string };
  const pv = String(result.protocolVersion);
  const existing = header(req, MCP_SESSION_HEADER);
  const token =
    stateless || existing || pv === STATELESS_REVISION
      ? null
      : encodeSessionToken({
          sid: newSessionId(),
          ...(name ? { cn: name } : {}),
          ...(version ? { cv: version } : {}),
          pv,
        });
  if (token) res.setHeader('Mcp-Session-Id', token);
  const session = token ?? existing;
  posthog.captureInitialize({
    parameters: params,
    response: result,
    headers: req.headers,
    ...(session ? { session } : {}),
  });
  return { result };
}

async function answer(exchange: Exchange): Promise<RpcReply> {
  const { posthog, message, req } = exchange;
  const session = header(req, MCP_SESSION_HEADER);
  const meta = message.params?._meta;
  const request = { headers: req.headers, ...(session ? { session } : {}), ...(meta ? { meta } : {}) };
  switch (message.method) {
    case 'initialize':
      return initialize(exchange);
    case 'ping':
      return { result: {} };
    case 'tools/list': {
      const result = listTools(posthog);
      posthog.captureToolsList({ tools: result.tools, response: result, ...request });
      return { result };
    }
    case 'tools/call':
      return callTool(posthog, message.params, request);
    default:
      return { error: { code: -32601, message: `Method not found: ${String(message.method)}` } };
  }
}

async function readJson(req: IncomingMessage): Promise<RpcMessage | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as RpcMessage;
  } catch {
    return undefined;
  }
}

/** A Streamable-HTTP MCP server on `POST /mcp` that answers with plain JSON. */
export function createServer(options: HttpRouterOptions = {}): Server {
  const posthog = options.posthog ?? createAnalytics(SERVER_NAME);
  return createHttpServer((req, res) => {
    if (req.url?.split('?')[0] !== '/mcp') return void res.writeHead(404).end();
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end();
    void readJson(req)
      .then(async (message) => {
        if (message === undefined) return void res.writeHead(400).end();
        if (message.id === undefined) return void res.writeHead(202).end();
        const reply = await answer({ posthog, message, req, res, stateless: options.stateless === true });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, ...reply }));
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
}

/** Starts a server on 127.0.0.1 (port 0 picks a free one) and resolves with its `/mcp` URL. */
export async function start(
  port = 0,
  options: HttpRouterOptions = {},
): Promise<{ url: string; server: Server }> {
  const server = createServer(options);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${actual}/mcp`, server };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const posthog = createAnalytics(SERVER_NAME);
  const port = Number(process.env.PORT ?? 3000);
  void start(port, { posthog }).then(({ url, server }) => {
    process.stderr.write(`MCP server on ${url}\n`);
    process.once('SIGTERM', () => {
      server.close();
      void posthog.shutdown().finally(() => process.exit(0));
    });
  });
}
