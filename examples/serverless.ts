// #region readme:serverless
import { PostHogMCP, type PostHogMCPOptions } from '../src/index';

/** The platform's way to keep work alive after the response (Vercel `waitUntil`, Workers `ctx.waitUntil`). */
export type WaitUntil = (promise: Promise<unknown>) => void;

const searchDocs = {
  name: 'search_docs',
  description: 'Search the product documentation.',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};

type Rpc = { id?: string | number; method?: string; params?: { name?: string; arguments?: unknown } };

const json = (id: Rpc['id'], body: object) =>
  Response.json(
    { jsonrpc: '2.0', id: id ?? null, ...body },
    { headers: { 'content-type': 'application/json' } },
  );

/**
 * A fetch-style MCP handler (Request → Response) for a serverless platform. The analytics work of each request
 * is handed to `waitUntil`, so the response never waits for a flush.
 */
export function createHandler(waitUntil: WaitUntil, options: PostHogMCPOptions = {}) {
  const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? 'phc_example', {
    serverName: 'docs-serverless',
    waitUntil,
    ...options,
  });

  return async function handle(request: Request): Promise<Response> {
    const rpc = (await request.json()) as Rpc;
    const session = request.headers.get('mcp-session-id') ?? undefined;
    if (rpc.method === 'tools/list') {
      return json(rpc.id, { result: { tools: posthog.prepareToolList([searchDocs]) } });
    }
    if (rpc.method !== 'tools/call' || rpc.params?.name !== searchDocs.name) {
      return json(rpc.id, { error: { code: -32601, message: 'Not found' } });
    }
    const call = posthog.prepareToolCall(searchDocs.name, rpc.params.arguments, {
      tool: searchDocs,
      headers: request.headers,
      ...(session ? { session } : {}),
    });
    const result = { content: [{ type: 'text', text: `2 pages match "${String(call.args.query)}".` }] };
    return json(rpc.id, { result: posthog.completeToolCall(call, { result }) });
  };
}
// #endregion readme:serverless
