// #region readme:quick-start
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { encodeSessionToken, MCP_SESSION_HEADER, newSessionId, PostHogMCP } from '../src/index';

const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? '', {
  host: process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com',
  serverName: 'docs-server',
  reportMissing: true, // advertise get_more_tools: agents tell you what they could not do
  logger: 'stderr', // a missing API key and other problems are said on stderr, never stdout
});

const tools = [
  {
    name: 'search_docs',
    description: 'Search the documentation.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

type Params = {
  name?: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  protocolVersion?: string;
  clientInfo?: { name: string; version: string };
};
type Rpc = { jsonrpc: '2.0'; id?: string | number; method: string; params?: Params };
type Reply = { result: unknown } | { error: { code: number; message: string } };

async function searchDocs(args: Record<string, unknown>) {
  return { content: [{ type: 'text', text: `No page matches ${String(args.query)}.` }] };
}

/** Clients send their name only in `initialize`: keep it in the session id they send on every later request. */
function initialize(params: Params, req: IncomingMessage, res: ServerResponse): Reply {
  const protocolVersion = params.protocolVersion ?? '2025-06-18';
  const client = params.clientInfo;
  const token = encodeSessionToken({
    sid: newSessionId(),
    pv: protocolVersion,
    ...(client ? { cn: client.name, cv: client.version } : {}),
  });
  if (token) res.setHeader(MCP_SESSION_HEADER, token);
  posthog.captureInitialize({
    parameters: params,
    headers: req.headers,
    ...(token ? { sessionId: token } : {}),
  });
  const serverInfo = { name: 'docs-server', version: '1.0.0' };
  return { result: { protocolVersion, capabilities: { tools: {} }, serverInfo } };
}

async function callTool(params: Params, req: IncomingMessage): Promise<Reply> {
  const { name = '', arguments: args, _meta: meta } = params;
  const session = req.headers[MCP_SESSION_HEADER] as string | undefined; // the token minted at initialize
  const tool = tools.find((candidate) => candidate.name === name);
  const exists = tool !== undefined; // get_more_tools is not in `tools`: the package still knows it
  const call = posthog.prepareToolCall(name, args, { tool, exists, meta, headers: req.headers, session }); // 2. call step
  if (call.isMissingCapability) return { result: posthog.completeToolCall(call) }; // get_more_tools answered
  if (call.isUnknownTool) return { error: { code: -32602, message: `Unknown tool: ${name}` } }; // event sent
  try {
    const result = await searchDocs(call.args); // call.args: without the injected arguments
    return { result: posthog.completeToolCall(call, { result }) }; // 3. result step
  } catch (error) {
    const result = { content: [{ type: 'text', text: String(error) }], isError: true };
    return { result: posthog.completeToolCall(call, { result, error }) };
  }
}

function route(message: Rpc, req: IncomingMessage, res: ServerResponse): Reply | Promise<Reply> {
  const params = message.params ?? {};
  switch (message.method) {
    case 'initialize':
      return initialize(params, req, res);
    case 'ping':
      return { result: {} };
    case 'tools/list':
      return { result: { tools: posthog.prepareToolList(tools) } }; // 1. list step
    case 'tools/call':
      return callTool(params, req);
    default:
      return { error: { code: -32601, message: `Method not found: ${message.method}` } };
  }
}

const server = createServer(async (req, res) => {
  if (req.url !== '/mcp') return void res.writeHead(404).end();
  if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end(); // no SSE stream here
  let body = '';
  for await (const chunk of req) body += chunk;
  let message: Rpc;
  try {
    message = JSON.parse(body);
  } catch {
    return void res.writeHead(400).end();
  }
  if (message.id === undefined) return void res.writeHead(202).end(); // notifications/*: accepted, no body
  const reply = await route(message, req, res);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, ...reply }));
});

server.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as { port: number };
  process.stderr.write(`MCP server on http://localhost:${port}/mcp\n`); // stderr: stdout stays clean
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void posthog.shutdown().finally(() => process.exit(0)); // send what is queued, then exit
  });
}
// #endregion readme:quick-start
