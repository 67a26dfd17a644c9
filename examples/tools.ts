import {
  type JsonObject,
  PostHogMCP,
  type PostHogMCPOptions,
  type PrepareToolCallOptions,
  type ToolDescriptor,
} from '../src/index';

/** A failure from an upstream service, thrown by the `crash` demo tool. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';

  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A demo tool: what `tools/list` advertises and what runs on `tools/call`. */
export interface DemoTool {
  descriptor: ToolDescriptor;
  run(args: JsonObject): unknown;
}

const text = (value: string) => ({ content: [{ type: 'text', text: value }] });

/** The demo tools both example routers serve. */
export const DEMO_TOOLS: readonly DemoTool[] = [
  {
    descriptor: {
      name: 'search_docs',
      description: 'Search the product documentation.',
      inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
      _meta: { category: 'docs' },
    },
    // A search for something the docs do not cover succeeds with nothing in it: `$mcp_empty_result` shows it.
    run: (args) =>
      /mars/i.test(String(args.query)) ? text('[]') : text(`3 pages match "${String(args.query)}".`),
  },
  {
    descriptor: {
      name: 'flaky_lookup',
      description: 'Look up an order; the upstream often says no.',
      inputSchema: { type: 'object', properties: { order_id: { type: 'string' } } },
    },
    run: (args) => ({ ...text(`Order ${String(args.order_id)} is not available right now.`), isError: true }),
  },
  {
    descriptor: {
      name: 'crash',
      description: 'Always fails with an upstream error.',
      inputSchema: { type: 'object', properties: {} },
    },
    run: () => {
      throw new UpstreamError('upstream answered 503', 503);
    },
  },
  {
    descriptor: {
      name: 'get_forecast',
      description: 'Forecast for a city, as structured content.',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      outputSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, celsius: { type: 'number' } },
        required: ['city', 'celsius'],
      },
    },
    run: (args) => {
      const forecast = { city: String(args.city), celsius: 21 };
      return { ...text(JSON.stringify(forecast)), structuredContent: forecast };
    },
  },
  {
    descriptor: {
      name: 'annotate',
      description: 'Stores a note; declares its own `context` argument, which is its data.',
      inputSchema: {
        type: 'object',
        properties: { note: { type: 'string' }, context: { type: 'string' } },
        required: ['note'],
      },
    },
    run: (args) => text(`stored: ${JSON.stringify(args)}`),
  },
];

/** The protocol revisions the examples speak, newest first. */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;

/** The `initialize` result: the client's revision when supported, else the newest. */
export function initializeResult(serverName: string, requested: unknown): JsonObject {
  const supported = (PROTOCOL_VERSIONS as readonly unknown[]).includes(requested);
  return {
    protocolVersion: supported ? requested : PROTOCOL_VERSIONS[0],
    capabilities: { tools: { listChanged: false } },
    serverInfo: { name: serverName, version: '1.0.0' },
  };
}

/** The virtual tools' names: given to PostHogMCP and used by the routers to tell them from unknown tools. */
export const VIRTUAL_TOOL_NAMES = { missing: 'get_more_tools', feedback: 'send_feedback' } as const;

/** A PostHogMCP client configured from `POSTHOG_API_KEY` and `POSTHOG_HOST`. */
export function createAnalytics(serverName: string, overrides: PostHogMCPOptions = {}): PostHogMCP {
  return new PostHogMCP(process.env.POSTHOG_API_KEY ?? 'phc_local_demo', {
    host: process.env.POSTHOG_HOST ?? 'http://127.0.0.1:8010',
    serverName,
    serverVersion: '1.0.0',
    reportMissing: true,
    missingCapabilityToolName: VIRTUAL_TOOL_NAMES.missing,
    collectFeedback: { toolName: VIRTUAL_TOOL_NAMES.feedback },
    logger: 'stderr',
    ...overrides,
  });
}

/** A JSON-RPC answer: a result or an error. */
export type RpcReply = { result: unknown } | { error: { code: number; message: string } };

/** The list step: the demo tools with injected arguments and the virtual tools appended. */
export function listTools(posthog: PostHogMCP): { tools: ToolDescriptor[] } {
  return { tools: posthog.prepareToolList(DEMO_TOOLS.map((tool) => tool.descriptor)) };
}

type RequestOptions = Omit<PrepareToolCallOptions, 'tool' | 'exists'>;

/** Runs a handler; a thrown error becomes an `isError` result, as the MCP SDK does. */
async function runHandler(tool: DemoTool, args: JsonObject): Promise<{ result: unknown; error?: unknown }> {
  try {
    return { result: await tool.run(args) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { result: { ...text(message), isError: true }, error };
  }
}

/** The first required argument the call lacks, if any. */
function missingArgument(tool: DemoTool, args: JsonObject): string | undefined {
  const required = (tool.descriptor.inputSchema as { required?: unknown }).required;
  return Array.isArray(required)
    ? required.find((name) => typeof name === 'string' && !(name in args))
    : undefined;
}

/** The call and result steps around one `tools/call`. */
export async function callTool(
  posthog: PostHogMCP,
  params: unknown,
  request: RequestOptions,
): Promise<RpcReply> {
  const { name, arguments: args } = (params ?? {}) as { name?: unknown; arguments?: unknown };
  const toolName = typeof name === 'string' ? name : '';
  const tool = DEMO_TOOLS.find((candidate) => candidate.descriptor.name === toolName);
  if (!tool && !Object.values<string>(VIRTUAL_TOOL_NAMES).includes(toolName)) {
    posthog.prepareToolCall(toolName, args, { ...request, exists: false });
    return { error: { code: -32602, message: `Unknown tool: ${toolName}` } };
  }
  const call = posthog.prepareToolCall(toolName, args, {
    ...request,
    ...(tool ? { tool: tool.descriptor } : {}),
  });
  if (!tool) return { result: posthog.completeToolCall(call) };
  const missing = missingArgument(tool, call.args);
  if (missing !== undefined) {
    // The caller's mistake: answered with JSON-RPC invalid params, recorded with `$mcp_error_origin: 'caller'`.
    const error = { code: -32602, message: `Invalid params: ${missing} is required` };
    posthog.completeToolCall(call, { jsonRpcError: error });
    return { error };
  }
  const outcome = await runHandler(tool, call.args);
  return { result: posthog.completeToolCall(call, outcome) };
}
