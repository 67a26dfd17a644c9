import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useIngestionServer } from './helpers/wire';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const wire = useIngestionServer();

describe('examples/finished-calls.ts', () => {
  it('runs to completion and its events reach the ingestion server', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/finished-calls.ts'], {
      cwd: repoRoot,
      env: { ...process.env, POSTHOG_HOST: wire.server.url, POSTHOG_API_KEY: 'phc_finished_calls_test' },
      timeout: 30_000,
    });

    expect(stdout).toBe('');
    expect(wire.server.bodies[0]?.api_key).toBe('phc_finished_calls_test');
    expect(wire.server.events.map((event) => event.event).sort()).toEqual([
      '$exception',
      '$mcp_initialize',
      '$mcp_tool_call',
      '$mcp_tool_call',
      '$mcp_tools_list',
    ]);
    for (const { properties } of wire.server.events) {
      expect(properties).toMatchObject({
        $lib: 'posthog-node-mcp',
        $mcp_server_name: 'finished-calls-server',
        $session_id: 'mcp-session-1',
        $mcp_client_user_agent: 'claude-code/2.0.1 (cli)',
      });
    }
    const [success, failure] = wire.server
      .eventsNamed('$mcp_tool_call')
      .sort((a, b) => String(a.properties.$mcp_is_error).localeCompare(String(b.properties.$mcp_is_error)));
    expect(success?.properties).toMatchObject({
      $mcp_tool_name: 'search_docs',
      $mcp_intent: 'find the install guide',
    });
    expect(failure?.properties).toMatchObject({
      $mcp_error_type: 'api_5xx',
      $mcp_error_status: 503,
      $mcp_error_message: 'search index unavailable',
    });
  });
});
