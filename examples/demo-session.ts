import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readHandleFromResult } from '../src/session/conversation-handle';

/** Where the demo reports each step of its scripted sessions. */
export type Say = (line: string) => void;

const EXAMPLES = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AGENT_MODEL = 'claude-sonnet-4-5';

function outcome(value: unknown): string {
  const result = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const content = Array.isArray(result.content) ? (result.content as { text?: unknown }[]) : [];
  const text = content.map((block) => (typeof block.text === 'string' ? block.text : '')).join(' ');
  return `${result.isError === true ? 'isError' : 'ok'}: ${text.slice(0, 70)}`;
}

/**
 * The scripted calls of the stdio session: a success, an empty result the agent then repeats, a call missing
 * its required argument (the caller's error), two failures, an unknown tool and two reports.
 */
const STDIO_CALLS: { name: string; arguments: Record<string, unknown> }[] = [
  {
    name: 'search_docs',
    arguments: { query: 'refund policy', context: 'Answer a customer asking how refunds work' },
  },
  {
    name: 'search_docs',
    arguments: { query: 'warranty on Mars', context: 'Find the warranty terms for a customer' },
  },
  {
    name: 'search_docs',
    arguments: { query: 'warranty on Mars', context: 'Nothing came back; search again' },
  },
  { name: 'search_docs', arguments: { context: 'Search without saying what for' } },
  { name: 'flaky_lookup', arguments: { order_id: 'A-1042', context: 'Check the status of an order' } },
  { name: 'crash', arguments: { context: 'Try the tool that always fails' } },
  { name: 'delete_everything', arguments: { context: 'Clean up old data' } },
  { name: 'get_more_tools', arguments: { context: 'Export the search results to a spreadsheet' } },
  {
    name: 'send_feedback',
    arguments: {
      feedback_type: 'issue',
      summary: 'Order lookups keep failing',
      details: 'flaky_lookup returned an error for a valid order id.',
      sentiment: 'negative',
      tool_name: 'flaky_lookup',
    },
  },
];

/**
 * Starts `examples/stdio-router.ts` as a child process and drives it with the official MCP client, then
 * closes it so it flushes its analytics and exits. Resolves to the child's pid.
 */
export async function runStdioSession(env: Record<string, string>, say: Say): Promise<number | null> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', `${EXAMPLES}stdio-router.ts`],
    cwd: ROOT,
    env,
    stderr: 'inherit',
  });
  const client = new Client({ name: 'demo-agent', version: '1.0.0' });
  const streamErrors: string[] = [];
  client.onerror = (error) => streamErrors.push(error.message);
  await client.connect(transport);
  const pid = transport.pid;
  const server = client.getServerVersion();
  say(`initialize → ${server?.name} ${server?.version}`);
  const { tools } = await client.listTools();
  say(`tools/list → ${tools.map((tool) => tool.name).join(', ')}`);
  for (const call of STDIO_CALLS) {
    const args = { ...call.arguments, llm_model: AGENT_MODEL };
    try {
      const result = await client.callTool({ name: call.name, arguments: args });
      say(`tools/call ${call.name} → ${outcome(result)}`);
    } catch (error) {
      say(
        `tools/call ${call.name} → JSON-RPC error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  await client.close();
  say(
    `child stdout: ${streamErrors.length === 0 ? 'only JSON-RPC' : `NOT JSON-RPC: ${streamErrors.join('; ')}`}`,
  );
  return pid;
}

const STATELESS_REVISION = '2026-07-28';

async function postToolCall(url: string, id: number, name: string, args: Record<string, unknown>) {
  const meta = {
    'io.modelcontextprotocol/clientInfo': { name: 'demo-http-agent', version: '1.0.0' },
    'io.modelcontextprotocol/protocolVersion': STATELESS_REVISION,
  };
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': STATELESS_REVISION,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: args, _meta: meta },
    }),
  });
  const reply = (await response.json()) as { result?: unknown };
  return reply.result;
}

/**
 * Two stateless HTTP calls (revision 2026-07-28, no session): the first result carries a conversation handle,
 * which the client echoes as `conversation_id` in the second call so both share one `$session_id`.
 */
export async function runStatelessHttpSession(url: string, say: Say): Promise<string | undefined> {
  const first = await postToolCall(url, 1, 'search_docs', {
    query: 'shipping times',
    context: 'Tell a customer when their parcel arrives',
    llm_model: AGENT_MODEL,
  });
  const handle = readHandleFromResult(first);
  say(`tools/call search_docs → ${outcome(first).split(': ')[0]}, conversation handle ${handle}`);
  const second = await postToolCall(url, 2, 'get_forecast', {
    city: 'Lisbon',
    context: 'Check the weather at the delivery address',
    llm_model: AGENT_MODEL,
    ...(handle ? { conversation_id: handle } : {}),
  });
  say(`tools/call get_forecast (conversation_id echoed) → ${outcome(second)}`);
  return handle;
}
