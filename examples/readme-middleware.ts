// #region readme:router
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MCP_SESSION_HEADER, PostHogMCP } from '../src/index';

const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? '', { serverName: 'docs-server' });

const TOOLS = [
  {
    name: 'search_docs',
    description: 'Search the documentation.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

type Rpc = {
  jsonrpc: '2.0';
  id?: string | number;
  method: string;
  params?: { name?: string; arguments?: Record<string, unknown> };
};
type RpcResponse = { jsonrpc: '2.0'; id: string | number } & (
  | { result: unknown }
  | { error: { code: number; message: string } }
);
type HttpContext = { req: IncomingMessage; res: ServerResponse };

/** Your dispatcher: a full JSON-RPC response for a request, `undefined` for a notification. */
function route(message: Rpc, _context: HttpContext): RpcResponse | undefined {
  const { id, method, params } = message;
  if (id === undefined) return undefined;
  if (method === 'tools/list') return { jsonrpc: '2.0', id, result: { tools: TOOLS } };
  if (method !== 'tools/call')
    return { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } };
  if (params?.name !== 'search_docs') {
    return { jsonrpc: '2.0', id, error: { code: -32602, message: `Unknown tool: ${params?.name}` } };
  }
  const text = `No page matches ${String(params.arguments?.query)}.`; // context and llm_model already removed
  return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } };
}

export const handle = posthog.instrumentRouter(route, {
  tools: () => TOOLS,
  headers: ({ req }) => req.headers,
  session: ({ req }) => req.headers[MCP_SESSION_HEADER] as string | undefined,
  identify: async ({ req }) => {
    const user = req.headers['x-user-id'];
    return typeof user === 'string' ? { distinctId: user, properties: { plan: 'pro' } } : null;
  },
  mintSessionToken: true,
  onSessionToken: (token, { res }) => res.setHeader(MCP_SESSION_HEADER, token),
});
// In your HTTP handler: `const response = await handle(message, { req, res })`; send it, or 202 when undefined.
// #endregion readme:router
