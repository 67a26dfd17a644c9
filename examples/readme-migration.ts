import { PostHogMCP as PostHogMCPBefore } from '@posthog/mcp';
import { type Identity, PostHogMCP, type ToolDescriptor } from '../src/index';

type RunTool = (name: string, args: Record<string, unknown>) => Promise<unknown>;

/** A tools/call with `@posthog/mcp`: the host times the call and passes every field itself. */
export function before(apiKey: string, runTool: RunTool) {
  // #region readme:migration-before
  const posthog = new PostHogMCPBefore(apiKey, { captureModel: true });

  async function callTool(name: string, args: Record<string, unknown>, tool: ToolDescriptor, meta: object) {
    const started = performance.now();
    const { args: toolArgs = {}, ...read } = posthog.prepareToolCall(name, args, {
      originalTool: tool,
      requestMeta: { ...meta },
    });
    const common = { toolName: name, ...read }; // intent, intentSource, llmModel, llmModelSource
    try {
      const result = await runTool(name, toolArgs);
      posthog.captureToolCall({ ...common, response: result, durationMs: performance.now() - started });
      return result;
    } catch (error) {
      posthog.captureToolCall({ ...common, isError: true, error, durationMs: performance.now() - started });
      throw error;
    }
  }
  // #endregion readme:migration-before
  return callTool;
}

/** The same call with this package: three steps, timing and fields handled by the SDK. */
export function after(apiKey: string, runTool: RunTool) {
  // #region readme:migration-after
  const posthog = new PostHogMCP(apiKey); // model capture and conversation anchoring are on by default

  async function callTool(name: string, args: Record<string, unknown>, tool: ToolDescriptor, meta: object) {
    const identity: Identity | null = null; // resolve it from the request, if you can
    const call = posthog.prepareToolCall(name, args, { tool, meta: { ...meta }, identity });
    try {
      const result = await runTool(name, call.args);
      return posthog.completeToolCall(call, { result }); // send this: it may carry a conversation handle
    } catch (error) {
      posthog.completeToolCall(call, { error });
      throw error;
    }
  }
  // #endregion readme:migration-after
  return callTool;
}
