import { PostHogMCP } from '../src/index';

/** The Worker's bindings (wrangler `vars` / secrets). */
export interface Env {
  POSTHOG_API_KEY?: string;
  POSTHOG_HOST?: string;
}

/** The part of the Workers `ExecutionContext` this Worker uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

type Rpc = {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: { name?: string; arguments?: object; _meta?: Record<string, unknown>; clientInfo?: object };
};

const tools = [
  {
    name: 'search_docs',
    description: 'Search the documentation.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

function searchDocs(args: Record<string, unknown>) {
  const query = typeof args.query === 'string' ? args.query.trim() : '';
  if (!query) throw new RangeError('query must not be empty');
  return { content: [{ type: 'text', text: `No page matches ${query}.` }] };
}

const reply = (id: Rpc['id'], body: object, headers?: Record<string, string>) =>
  Response.json({ jsonrpc: '2.0', id: id ?? null, ...body }, headers ? { headers } : {});

async function route(posthog: PostHogMCP, rpc: Rpc, headers: Headers): Promise<Response> {
  const session = headers.get('mcp-session-id') ?? undefined;
  if (rpc.method === 'initialize') {
    const sessionId = session ?? crypto.randomUUID();
    const result = {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: 'docs-worker', version: '1.0.0' },
    };
    posthog.captureInitialize({ parameters: rpc.params, response: result, headers, sessionId });
    return reply(rpc.id, { result }, { 'mcp-session-id': sessionId });
  }
  if (rpc.method === 'ping') return reply(rpc.id, { result: {} });
  if (rpc.method === 'tools/list')
    return reply(rpc.id, { result: { tools: posthog.prepareToolList(tools) } });
  if (rpc.method !== 'tools/call')
    return reply(rpc.id, { error: { code: -32601, message: 'Method not found' } });
  const { name = '', arguments: args, _meta: meta } = rpc.params ?? {};
  const tool = tools.find((candidate) => candidate.name === name);
  const call = posthog.prepareToolCall(name, args, { tool, exists: !!tool, meta, headers, session });
  if (!tool) return reply(rpc.id, { error: { code: -32602, message: `Unknown tool: ${name}` } });
  try {
    return reply(rpc.id, { result: posthog.completeToolCall(call, { result: searchDocs(call.args) }) });
  } catch (error) {
    const result = { content: [{ type: 'text', text: String(error) }], isError: true };
    return reply(rpc.id, { result: posthog.completeToolCall(call, { result, error }) });
  }
}

export default {
  /** One client per request: events are handed to `ctx.waitUntil`, so the response never waits for PostHog. */
  async fetch(request: Request, env: Env, ctx: WorkerContext): Promise<Response> {
    if (request.method !== 'POST') return new Response('MCP endpoint: POST JSON-RPC here', { status: 405 });
    const posthog = new PostHogMCP(env.POSTHOG_API_KEY ?? 'phc_your_project_key', {
      host: env.POSTHOG_HOST ?? 'https://us.i.posthog.com',
      serverName: 'docs-worker',
      flushAt: 1,
      flushInterval: 0,
      waitUntil: (promise) => ctx.waitUntil(promise),
    });
    let rpc: Rpc;
    try {
      rpc = (await request.json()) as Rpc;
    } catch {
      return reply(null, { error: { code: -32700, message: 'Parse error' } }, undefined);
    }
    // Notifications (no id) get 202 and no body.
    if (rpc.id === undefined) return new Response(null, { status: 202 });
    const response = await route(posthog, rpc, request.headers);
    ctx.waitUntil(posthog.shutdown());
    return response;
  },
};
