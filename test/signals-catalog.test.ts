import { describe, expect, it } from 'vitest';
import type { PostHogMCP, ToolDescriptor } from '../src/index';
import { estimateTokens } from '../src/token-estimate';
import { MAX_LISTED_TOOL_ENTRIES } from '../src/tools/catalog-cost';
import { useIngestionServer } from './helpers/wire';

/** `$mcp_catalog_tokens_est` and `$mcp_listed_tools` on `$mcp_tools_list`: what the catalog costs the model. */

const wire = useIngestionServer();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const toolNamed = (name: string, extra = ''): ToolDescriptor => ({
  name,
  description: `Looks up ${name}${extra}.`,
  inputSchema: { type: 'object', properties: { id: { type: 'string', description: 'The id.' } } },
});

interface ListedTool {
  name: string;
  description_tokens_est: number;
  schema_tokens_est: number;
  schema_hash: string;
}

/** The estimate `$mcp_output_tokens_est` uses, over the value whole. */
const tokensOf = (value: unknown): number => estimateTokens(value) ?? Number.NaN;

/** A router serving `tools` and answering every call with a text result; returns the page the client received. */
function serve(client: PostHogMCP, tools: ToolDescriptor[]) {
  const route = (message: unknown) => {
    const { id, method } = message as { id: number; method: string };
    const result = method === 'tools/list' ? { tools } : { content: [{ type: 'text', text: 'done' }] };
    return { jsonrpc: '2.0', id, result };
  };
  const handle = client.instrumentRouter(route, { tools: () => tools });
  let id = 0;
  return {
    list: () =>
      (
        handle({ jsonrpc: '2.0', id: ++id, method: 'tools/list' }, undefined) as {
          result: { tools: unknown[] };
        }
      ).result.tools,
    call: (name: string) =>
      handle(
        {
          jsonrpc: '2.0',
          id: ++id,
          method: 'tools/call',
          params: { name, arguments: { id: 'a', context: 'x' } },
        },
        undefined,
      ),
  };
}

async function listings(client: PostHogMCP) {
  await client.shutdown();
  return wire.server.eventsNamed('$mcp_tools_list').map((event) => event.properties);
}

describe('the router middleware measures the page as the client receives it', () => {
  it.each([
    ['with injected arguments and virtual tools', { reportMissing: true }],
    ['with nothing injected', { context: false }],
  ] as const)(
    '%s: the estimate is the decorated page’s, each tool’s hash its calls’ hash',
    async (_label, options) => {
      const client = wire.client(options);
      const tools = [toolNamed('orders'), toolNamed('refunds'), toolNamed('invoices')];
      const server = serve(client, tools);
      const page = server.list();
      for (const tool of tools) server.call(tool.name);
      await client.shutdown();
      const [listing] = wire.server.eventsNamed('$mcp_tools_list').map((event) => event.properties);
      expect(listing?.$mcp_catalog_tokens_est).toBe(tokensOf(page));
      const listed = listing?.$mcp_listed_tools as ListedTool[];
      expect(listed.map((entry) => entry.name)).toEqual(page.map((tool) => (tool as { name: string }).name));
      const calls = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
      for (const call of calls) {
        const entry = listed.find((tool) => tool.name === call.$mcp_tool_name);
        expect(entry?.schema_hash).toBe(call.$mcp_tool_schema_hash);
      }
      for (const [index, entry] of listed.entries()) {
        const tool = page[index] as ToolDescriptor;
        expect(entry.description_tokens_est).toBe(tokensOf(tool.description));
        expect(entry.schema_tokens_est).toBe(tokensOf(tool.inputSchema));
      }
    },
  );

  it('a page of 150 tools is measured whole but described in at most 100 entries', async () => {
    const client = wire.client({ context: false });
    const tools = Array.from({ length: 150 }, (_, i) => toolNamed(`tool_${String(i).padStart(3, '0')}`));
    const page = serve(client, tools).list();
    const [listing] = await listings(client);
    const listed = listing?.$mcp_listed_tools as ListedTool[];
    expect(listed).toHaveLength(MAX_LISTED_TOOL_ENTRIES);
    expect(listed[99]?.name).toBe('tool_099');
    expect(listing?.$mcp_listed_tool_names).toHaveLength(150);
    const exact = Math.ceil(Buffer.byteLength(JSON.stringify(page)) / 4);
    expect(Math.abs((listing?.$mcp_catalog_tokens_est as number) - exact)).toBeLessThanOrEqual(exact / 100);
  });

  it('a failed listing and a names-only capture carry no catalog cost', async () => {
    const client = wire.client();
    const route = (message: unknown) => ({
      jsonrpc: '2.0',
      id: (message as { id: number }).id,
      error: { code: -32603, message: 'registry down' },
    });
    client.instrumentRouter(route)({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, undefined);
    client.captureToolsList({ toolNames: ['a', 'b'] });
    for (const listing of await listings(client)) {
      expect(listing.$mcp_catalog_tokens_est).toBeUndefined();
      expect(listing.$mcp_listed_tools).toBeUndefined();
    }
  });
});

describe('captureToolsList given tools', () => {
  it('measures them, and the hash matches captureToolCall’s for the same descriptor', async () => {
    const client = wire.client();
    const orders = toolNamed('orders');
    const tools = [orders, toolNamed('refunds')];
    client.captureToolsList({ tools });
    client.captureToolsList({ tools: client.prepareToolList(tools) });
    client.captureToolCall({ toolName: 'orders', tool: orders, arguments: { id: 'a' } });
    await client.shutdown();
    const [plain, decorated] = wire.server.eventsNamed('$mcp_tools_list').map((event) => event.properties);
    const [call] = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
    expect(plain?.$mcp_catalog_tokens_est).toBe(tokensOf(tools));
    expect((decorated?.$mcp_catalog_tokens_est as number) > (plain?.$mcp_catalog_tokens_est as number)).toBe(
      true,
    );
    for (const listing of [plain, decorated]) {
      const [first] = (listing?.$mcp_listed_tools ?? []) as ListedTool[];
      expect(first?.schema_hash).toBe(call?.$mcp_tool_schema_hash);
    }
  });

  /** Tool objects the list step copies (plain, null-prototype) or cannot stamp (frozen, sealed) or wraps (views). */
  const KINDS: [string, () => object][] = [
    ['a plain object', () => toolNamed('lookup')],
    ['a deep-frozen object', () => deepFreeze(toolNamed('lookup'))],
    ['a sealed object', () => Object.seal(toolNamed('lookup'))],
    ['a non-extensible object', () => Object.preventExtensions(toolNamed('lookup'))],
    ['a null-prototype object', () => Object.assign(Object.create(null), toolNamed('lookup'))],
    [
      'an object with a getter',
      () =>
        Object.defineProperty(toolNamed('lookup'), 'description', {
          get: () => 'Looks up.',
          enumerable: true,
        }),
    ],
    [
      'a class instance',
      () =>
        new (class Tool {
          name = 'lookup';
          inputSchema = toolNamed('lookup').inputSchema;
        })(),
    ],
    ['a proxy', () => new Proxy(toolNamed('lookup'), {})],
  ];

  it.each(KINDS)(
    '%s: the decorated page’s hash is the call’s, listed once or many times',
    async (_kind, make) => {
      const client = wire.client();
      const tool = make();
      for (let i = 0; i < 3; i++) client.captureToolsList({ tools: client.prepareToolList([tool]) });
      client.captureToolCall({ toolName: 'lookup', tool: tool as ToolDescriptor, arguments: { id: 'a' } });
      await client.shutdown();
      const [call] = wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties);
      const hashes = wire.server
        .eventsNamed('$mcp_tools_list')
        .map((event) => (event.properties.$mcp_listed_tools as ListedTool[])[0]?.schema_hash);
      expect(typeof call?.$mcp_tool_schema_hash).toBe('string');
      expect(hashes).toEqual([1, 2, 3].map(() => call?.$mcp_tool_schema_hash));
    },
  );

  it('a descriptor listed again is not walked again', async () => {
    const client = wire.client({ context: false });
    let enumerations = 0;
    const tool = new Proxy(toolNamed('orders'), {
      ownKeys(target) {
        enumerations += 1;
        return Reflect.ownKeys(target);
      },
    });
    client.captureToolsList({ tools: [tool] });
    await client.flush();
    const first = enumerations;
    for (let i = 0; i < 5; i++) client.captureToolsList({ tools: [tool] });
    const events = await listings(client);
    expect(first).toBeGreaterThan(0);
    expect(enumerations).toBe(first);
    expect(new Set(events.map((p) => JSON.stringify(p.$mcp_listed_tools))).size).toBe(1);
  });

  it('hostile tools: 1 MB names are cut like names, unreadable and non-object entries never fail the event', async () => {
    const client = wire.client();
    const throwing = new Proxy(
      { name: 'trap' },
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    const cyclic: Record<string, unknown> = { name: 'cyclic', inputSchema: { type: 'object' } };
    (cyclic.inputSchema as Record<string, unknown>).self = cyclic;
    client.captureToolsList({ tools: [toolNamed('find '.repeat(209_716)), throwing, null, 'text', cyclic] });
    const [listing] = await listings(client);
    const listed = listing?.$mcp_listed_tools as ListedTool[];
    expect(listed.map((entry) => entry.name.length <= 256)).toEqual([true, true, true]);
    expect(listed.map((entry) => entry.name.slice(0, 5))).toEqual([expect.any(String), 'trap', 'cycli']);
    expect(typeof listing?.$mcp_catalog_tokens_est).toBe('number');
    expect(JSON.stringify(listing).length).toBeLessThan(110_000);
  });
});
