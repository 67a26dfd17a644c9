// #region readme:migration-before
import { PostHogMCP } from '@posthog/mcp';

type Tool = { name: string; description?: string; inputSchema?: Record<string, unknown> };

const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? '', { captureModel: true });

export async function callTool(name: string, args: Record<string, unknown>, tool: Tool, meta = {}) {
  const started = performance.now();
  const prepared = posthog.prepareToolCall(name, args, { originalTool: tool, requestMeta: meta });
  const { args: toolArgs = {}, ...read } = prepared; // read: intent, intentSource, llmModel, llmModelSource
  try {
    const result = await runTool(name, toolArgs);
    posthog.captureToolCall({
      toolName: name,
      ...read,
      response: result,
      durationMs: performance.now() - started,
    });
    return result;
  } catch (error) {
    posthog.captureToolCall({
      toolName: name,
      ...read,
      isError: true,
      error,
      durationMs: performance.now() - started,
    });
    throw error;
  }
}
// #endregion readme:migration-before

async function runTool(name: string, args: Record<string, unknown>): Promise<unknown> {
  return { content: [{ type: 'text', text: `${name} ran with ${Object.keys(args).length} arguments` }] };
}
