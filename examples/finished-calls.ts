/** The finished-call methods: for a router that times its calls itself and reports them afterwards. */
import { PostHogMCP } from '../src/index';

// One client for the whole process: a drop-in posthog-node client with MCP analytics.
const posthog = new PostHogMCP(process.env.POSTHOG_API_KEY ?? 'phc_finished_calls', {
  host: process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com',
  serverName: 'finished-calls-server',
  serverVersion: '1.0.0',
});
const request = { sessionId: 'mcp-session-1', headers: { 'user-agent': 'claude-code/2.0.1 (cli)' } };

// Your router handled `initialize` and `tools/list`.
posthog.captureInitialize({ ...request, clientName: 'claude-code', protocolVersion: '2025-06-18' });
posthog.captureToolsList({ ...request, toolNames: ['search_docs'] });

// A tool call that succeeded.
const started = performance.now();
posthog.captureToolCall({
  ...request,
  toolName: 'search_docs',
  intent: 'find the install guide',
  parameters: { query: 'install' },
  response: { content: [{ type: 'text', text: 'Found 3 pages about installing.' }] },
  durationMs: performance.now() - started,
});

// A tool call that threw: `$mcp_tool_call` with the failure, plus an `$exception`.
try {
  throw new Error('search index unavailable');
} catch (error) {
  posthog.captureToolCall({
    ...request,
    toolName: 'search_docs',
    error,
    errorType: 'api_5xx',
    errorStatus: 503,
  });
}

// Sends everything, `$exception` included, before the process exits.
await posthog.shutdown();
