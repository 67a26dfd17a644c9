import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  ToolSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { PostHogMCP, ToolDescriptor } from '../src/index';
import { useIngestionServer } from './helpers/wire';

type Json = Record<string, unknown>;
const SCHEMA = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
const BLOCK = (text: string) => ({ type: 'text', text });

class ErrorResult {
  content = [BLOCK('upstream said no')];
  get isError(): boolean {
    return true;
  }
}

class PrivateResult {
  readonly #content = [BLOCK('kept private')];
  readonly #failed = true;
  get content(): unknown[] {
    return this.#content;
  }
  get isError(): boolean {
    return this.#failed;
  }
  toJSON(): Json {
    return { content: this.#content, isError: this.#failed };
  }
}

/** Results as hosts build them: each must reach the client with the same members plus the handle block. */
const RESULTS: [string, () => object][] = [
  ['a class with a prototype isError getter', () => new ErrorResult()],
  ['a class with getters and toJSON over #private fields', () => new PrivateResult()],
  ['a frozen object', () => Object.freeze({ content: Object.freeze([BLOCK('frozen')]), isError: true })],
  [
    'a null-prototype object',
    () => Object.assign(Object.create(null), { content: [BLOCK('bare')], isError: true }),
  ],
  [
    'a proxy that computes isError',
    () =>
      new Proxy(
        { content: [BLOCK('proxied')] },
        { get: (t, k) => (k === 'isError' ? true : Reflect.get(t, k)) },
      ),
  ],
  [
    'an object with structuredContent and a non-enumerable member',
    () =>
      Object.defineProperty(
        { content: [BLOCK('s')], structuredContent: { n: 1 }, isError: true },
        'internal',
        { value: 1 },
      ),
  ],
];

class NamedTool {
  inputSchema = SCHEMA;
  get name(): string {
    return 'lookup';
  }
  get description(): string {
    return 'Looks things up.';
  }
}

class PrivateTool {
  readonly #name = 'lookup';
  get name(): string {
    return this.#name;
  }
  get inputSchema(): Json {
    return SCHEMA;
  }
  toJSON(): Json {
    return { name: this.#name, inputSchema: SCHEMA };
  }
}

const TOOLS: [string, () => object][] = [
  ['a class with prototype name and description getters', () => new NamedTool()],
  ['a class with getters and toJSON over #private fields', () => new PrivateTool()],
  [
    'a deep-frozen object',
    () =>
      Object.freeze({
        name: 'lookup',
        inputSchema: Object.freeze({ ...SCHEMA, properties: Object.freeze({ ...SCHEMA.properties }) }),
      }),
  ],
  [
    'a null-prototype object',
    () => Object.assign(Object.create(null), { name: 'lookup', inputSchema: SCHEMA }),
  ],
  [
    'a proxy that computes the name',
    () =>
      new Proxy(
        { name: '', inputSchema: SCHEMA },
        { get: (t, k) => (k === 'name' ? 'lookup' : Reflect.get(t, k)) },
      ),
  ],
  [
    'a schema that is a class instance',
    () => ({ name: 'lookup', inputSchema: Object.assign(new (class Schema {})(), SCHEMA) }),
  ],
];

const json = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

/** The original's JSON with the one documented addition: the injected arguments. */
function withInjected(original: object): Json {
  const tool = json(original);
  const schema = (tool.inputSchema ?? {}) as Json;
  tool.inputSchema = {
    ...schema,
    properties: {
      ...(schema.properties as Json),
      context: expect.objectContaining({ type: 'string' }),
      llm_model: expect.objectContaining({ type: 'string' }),
      conversation_id: expect.objectContaining({ type: 'string' }),
    },
    required: [...((schema.required as string[]) ?? []), 'context', 'llm_model'],
  };
  return tool;
}

function complete(posthog: PostHogMCP, result: object): { delivered: Json; handle: string } {
  const call = posthog.prepareToolCall(
    'lookup',
    { q: 'x' },
    { tool: { name: 'lookup', inputSchema: SCHEMA } },
  );
  const delivered = posthog.completeToolCall(call, { result }) as Json;
  expect(call.conversationId).toMatch(/^[0-9a-f-]{36}$/);
  return { delivered, handle: call.conversationId as string };
}

describe('results are delivered as the host built them', () => {
  const wire = useIngestionServer();

  it.each(RESULTS)('%s keeps every member and gains only the handle block', async (_, build) => {
    const posthog = wire.client();
    const original = build();
    const { delivered, handle } = complete(posthog, build());
    const expected = json(original);
    expected.content = [
      ...(expected.content as unknown[]),
      BLOCK(JSON.stringify({ conversation_id: handle })),
    ];
    expect(json(delivered)).toEqual(expected);
    expect(delivered.isError).toBe(true);
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.$mcp_is_error).toBe(true);
  });
});

describe('tools are advertised as the host built them', () => {
  const wire = useIngestionServer();

  it.each(TOOLS)('%s keeps every member and gains only the injected arguments', async (_, build) => {
    const posthog = wire.client();
    const original = build();
    const [prepared] = posthog.prepareToolList([build()]) as Json[];
    expect(json(prepared)).toEqual(withInjected(original));
    expect(prepared?.name).toBe('lookup');
    expect(ToolSchema.parse(prepared).name).toBe('lookup');
    expect(ToolSchema.parse(prepared).inputSchema.required).toEqual(['q', 'context', 'llm_model']);
    expect(JSON.stringify(original)).not.toContain('llm_model');
    await posthog.shutdown();
  });
});

describe('through the official MCP server and client', () => {
  const wire = useIngestionServer();

  /** An SDK server for one tool; without `posthog` it serves the host's objects untouched. */
  async function connect(posthog: PostHogMCP | undefined, tool: () => object, result: () => object) {
    const server = new Server({ name: 'delivery', version: '1.0.0' }, { capabilities: { tools: {} } });
    // A host that validates its own tools with the SDK's schema, as registries built on the SDK do.
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: (posthog ? posthog.prepareToolList([tool()]) : [tool()]).map((listed) =>
        ToolSchema.parse(listed),
      ),
    }));
    server.setRequestHandler(CallToolRequestSchema, (request) => {
      if (!posthog) return result() as never;
      const call = posthog.prepareToolCall(request.params.name, request.params.arguments, {
        tool: tool() as ToolDescriptor,
      });
      return posthog.completeToolCall(call, { result: result() }) as never;
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'delivery-agent', version: '1.0.0' });
    await client.connect(clientSide);
    return client;
  }

  const PLAIN_TOOL = () => ({ name: 'lookup', inputSchema: SCHEMA });

  it.each(RESULTS)(
    '%s reaches the client as without the package, plus the handle block',
    async (_, build) => {
      const bare = await connect(undefined, PLAIN_TOOL, build);
      const expected = await bare.callTool({ name: 'lookup', arguments: { q: 'x' } });
      const posthog = wire.client();
      const client = await connect(posthog, PLAIN_TOOL, build);
      const received = await client.callTool({ name: 'lookup', arguments: { q: 'x' } });
      const content = received.content as { text: string }[];
      const handle = JSON.parse(content.at(-1)?.text ?? '{}') as Json;
      expect(handle).toHaveProperty('conversation_id');
      expect(received).toEqual({
        ...expected,
        content: [...(expected.content as unknown[]), content.at(-1)],
      });
      await Promise.all([bare.close(), client.close()]);
      await posthog.shutdown();
    },
  );

  it('a result class with a prototype isError getter reaches the client as a failure', async () => {
    const posthog = wire.client();
    const client = await connect(posthog, PLAIN_TOOL, () => new ErrorResult());
    const received = await client.callTool({ name: 'lookup', arguments: { q: 'x' } });
    expect(received.isError).toBe(true);
    await client.close();
    await posthog.shutdown();
  });

  it.each(TOOLS)('%s is listed as without the package, plus the injected arguments', async (_, build) => {
    const bare = await connect(undefined, build, () => ({ content: [] }));
    const expected = (await bare.listTools()).tools;
    const posthog = wire.client();
    const client = await connect(posthog, build, () => ({ content: [] }));
    const { tools } = await client.listTools();
    expect(tools.map((listed) => listed.name)).toEqual(['lookup']);
    expect(tools).toEqual(expected.map(withInjected));
    await Promise.all([bare.close(), client.close()]);
    await posthog.shutdown();
  });
});
