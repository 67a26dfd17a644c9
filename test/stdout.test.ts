import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const srcUrl = pathToFileURL(join(repoRoot, 'src/index.ts')).href;
const helperUrl = pathToFileURL(join(repoRoot, 'test/helpers/ingestion-server.ts')).href;

/** A child script that drives every public method, hostile inputs included, through a real client. */
const SCRIPT = `
import { PostHogMCP } from '${srcUrl}';
import { createTestClientOptions, startIngestionServer } from '${helperUrl}';

const server = await startIngestionServer();
const posthog = new PostHogMCP('phc_stdout', {
  ...createTestClientOptions(server),
  logger: 'stderr',
  serverName: 'stdout-check',
  reportMissing: true,
  collectFeedback: true,
  beforeSend: (event) => (event.properties.$mcp_tool_name === 'drop_me' ? null : event),
  intentFallback: () => { throw new Error('fallback broke'); },
});
const tool = { name: 'search', description: 'Search', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };
const hostile = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });

posthog.prepareToolList([tool]);
const ok = posthog.prepareToolCall('search', { q: 'x', context: 'find docs', llm_model: 'm' }, { tool, session: { connection: 'stdio' } });
posthog.completeToolCall(ok, { result: { content: [{ type: 'text', text: 'hit' }] } });
const failed = posthog.prepareToolCall('search', { q: 'y' }, { tool, headers: { 'user-agent': 'ua' } });
posthog.completeToolCall(failed, { error: new TypeError('bad') });
const missing = posthog.prepareToolCall('get_more_tools', { context: 'export pdf' });
posthog.completeToolCall(missing);
const feedback = posthog.prepareToolCall('send_feedback', { feedback_type: 'praise', summary: 'nice' });
posthog.completeToolCall(feedback);
posthog.prepareToolCall('no_such_tool', {}, { exists: false });
posthog.captureToolCall({ toolName: 'search', error: new Error('boom'), parameters: { api_key: 'k' } });
posthog.captureToolCall({ toolName: 'drop_me', error: new Error('dropped') });
posthog.captureInitialize({ clientName: 'c', session: { connection: 'stdio' } });
posthog.captureToolsList({ toolNames: ['search'] });
posthog.captureMissingCapability({ context: 'more' });
posthog.captureFeedback({ report: { feedbackType: 'issue', summary: 's', extras: {}, raw: {} } });
posthog.captureUnknownTool({ toolName: 'nope' });
posthog.captureInputRequired({ toolName: 'search', inputRequestMethods: ['elicitation/create'] });
posthog.captureResourceRead({ uri: 'file:///a' });
posthog.captureResourcesList({ names: ['file:///a'] });
posthog.capturePromptGet({ name: 'p' });
posthog.capturePromptsList({ names: ['p'] });
for (const bad of [undefined, null, 7, 'x', [1], hostile]) {
  posthog.prepareToolList(bad);
  posthog.completeToolCall(posthog.prepareToolCall(bad, bad, bad), bad);
  posthog.captureToolCall(bad);
  posthog.captureFeedback(bad);
}
await posthog.flush();
await posthog.shutdown();
await server.close();
process.stderr.write('events received: ' + server.events.length + '\\n');
`;

describe('stdout stays clean', () => {
  it('driving every public method with the stderr logger writes nothing to stdout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'posthog-mcp-stdout-'));
    try {
      const script = join(dir, 'drive.mts');
      await writeFile(script, SCRIPT);
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script], {
        cwd: repoRoot,
        timeout: 30_000,
      });

      expect(stdout).toBe('');
      expect(stderr).toContain('[posthog-mcp-analytics]');
      const received = Number(/events received: (\d+)/.exec(stderr)?.[1]);
      expect(received).toBeGreaterThanOrEqual(18);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
