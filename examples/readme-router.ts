// #region readme:quick-start
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { PostHogMCP } from '../src/index';

export const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? 'phc_your_project_key', {
  host: process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com',
  serverName: 'docs-server',
});

const tools = [
  {
    name: 'search_docs',
    description: 'Search the documentation.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

type Rpc = {
  id: number;
  method: string;
  params?: { name?: string; arguments?: object; _meta?: Record<string, unknown> };
};

async function searchDocs(args: Record<string, unknown>) {
  return { content: [{ type: 'text', text: `No page matches ${String(args.query)}.` }] };
}

export async function route(message: Rpc, headers: IncomingHttpHeaders) {
  const session = headers['mcp-session-id'] as string | undefined;
  if (message.method === 'tools/list') {
    return { result: { tools: posthog.prepareToolList(tools) } }; // 1. list step
  }
  const { name = '', arguments: args, _meta: meta } = message.params ?? {};
  const tool = tools.find((candidate) => candidate.name === name);
  const call = posthog.prepareToolCall(name, args, { tool, exists: !!tool, meta, headers, session }); // 2. call step
  if (!tool) return { error: { code: -32602, message: `Unknown tool: ${name}` } };
  try {
    const result = await searchDocs(call.args);
    return { result: posthog.completeToolCall(call, { result }) }; // 3. result step
  } catch (error) {
    const result = { content: [{ type: 'text', text: String(error) }], isError: true };
    return { result: posthog.completeToolCall(call, { result, error }) };
  }
}

export const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const message = JSON.parse(body) as Rpc;
  const reply = await route(message, req.headers);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, ...reply }));
});
// #endregion readme:quick-start

if (process.argv[1]?.endsWith('readme-router.ts')) {
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    void posthog.shutdown();
  });
}
