// #region readme:migration-after
import { PostHogMCP } from '../src/index';

type Tool = { name: string; description?: string; inputSchema?: Record<string, unknown> };

const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? ''); // model and conversation anchoring on by default

export async function callTool(name: string, args: Record<string, unknown>, tool: Tool, meta = {}) {
  const call = posthog.prepareToolCall(name, args, { tool, meta }); // was originalTool / requestMeta
  try {
    const result = await runTool(name, call.args);
    return posthog.completeToolCall(call, { result }); // send this: it may carry a conversation handle
  } catch (error) {
    posthog.completeToolCall(call, { error });
    throw error;
  }
}
// #endregion readme:migration-after

async function runTool(name: string, args: Record<string, unknown>): Promise<unknown> {
  return { content: [{ type: 'text', text: `${name} ran with ${Object.keys(args).length} arguments` }] };
}
