import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp } from '../examples/router-middleware';
import { useIngestionServer } from './helpers/wire';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

async function exercise(client: Client): Promise<Record<string, unknown>> {
  const listed = await client.listTools();
  const search = await client.callTool({
    name: 'search_docs',
    arguments: { query: 'flags', context: 'find the flag docs', llm_model: 'model-a' },
  });
  const divide = await client.callTool({ name: 'divide', arguments: { a: 1, b: 0, llm_model: 'model-a' } });
  const unknown = await client
    .callTool({ name: 'no_such_tool', arguments: {} })
    .catch((error: unknown) => error);
  await client.listResources();
  await client.readResource({ uri: 'docs://readme' });
  await client.listPrompts();
  await client.getPrompt({ name: 'summarize' });
  return { listed, search, divide, unknown };
}

describe('the router middleware example driven by the official MCP client', () => {
  describe('over stdio', () => {
    const wire = useIngestionServer({ scope: 'all' });
    let results: Record<string, unknown>;
    let stderr = '';
    beforeAll(async () => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', 'examples/router-middleware.ts'],
        cwd: REPO_ROOT,
        env: {
          ...(process.env as Record<string, string>),
          POSTHOG_HOST: wire.server.url,
          POSTHOG_API_KEY: 'phc_e2e',
        },
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const client = new Client({ name: 'stdio-agent', version: '1.2.3' });
      await client.connect(transport);
      results = await exercise(client);
      await client.close();
    });

    it('serves every method and captures each with the client identity and one connection session', () => {
      const tools = (results.listed as { tools: { name: string }[] }).tools.map((tool) => tool.name);
      expect(tools).toEqual(['search_docs', 'divide']);
      expect(results.search).toEqual({ content: [{ type: 'text', text: '3 pages match "flags".' }] });
      expect(results.unknown).toBeInstanceOf(Error);
      const names = wire.server.events.map((event) => event.event);
      for (const name of ['$mcp_initialize', '$mcp_tools_list', '$mcp_resource_read', '$mcp_prompt_get']) {
        expect(names).toContain(name);
      }
      const calls = wire.server.eventsNamed('$mcp_tool_call');
      expect(calls.map((event) => event.properties.$mcp_tool_name)).toEqual(['search_docs', 'divide']);
      expect(new Set(wire.server.events.map((event) => event.properties.$session_id)).size).toBe(1);
      expect(calls[0]?.properties).toMatchObject({
        $mcp_client_name: 'stdio-agent',
        $mcp_intent: 'find the flag docs',
      });
      expect(wire.server.eventsNamed('$mcp_unknown_tool')[0]?.properties.$mcp_tool_name).toBe('no_such_tool');
    });

    it('prints mcpDiagnostics to stderr at exit, never to stdout', () => {
      expect(stderr).toContain('mcpDiagnostics');
      expect(stderr).toContain('"field": "identity"');
    });
  });

  describe('over HTTP with session tokens and identify', () => {
    const wire = useIngestionServer({ scope: 'all' });
    let http: Server;
    let results: Record<string, unknown>;
    beforeAll(async () => {
      const posthog = wire.client();
      http = await serveHttp(posthog);
      const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
      const client = new Client({ name: 'http-agent', version: '3.1.0' });
      await client.connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: { 'x-user-id': 'user-42' } } }),
      );
      results = await exercise(client);
      await client.close();
      await posthog.shutdown();
    });
    afterAll(() => {
      http.close();
    });

    it('groups every request under the minted token and attributes it to the identified person', () => {
      expect((results.divide as { isError?: boolean }).isError).toBe(true);
      const sessions = new Set(wire.server.events.map((event) => event.properties.$session_id));
      expect(sessions.size).toBe(1);
      for (const event of wire.server.events) expect(event.distinct_id).toBe('user-42');
      const [search] = wire.server.eventsNamed('$mcp_tool_call');
      expect(search?.properties).toMatchObject({
        $mcp_client_name: 'http-agent',
        $mcp_client_version: '3.1.0',
        $set: { plan: 'pro' },
      });
      expect(search?.properties.$mcp_client_user_agent).toBeDefined();
      expect(wire.server.eventsNamed('$mcp_unknown_tool')).toHaveLength(1);
    });
  });
});
