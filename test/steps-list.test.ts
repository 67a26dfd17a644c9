import { describe, expect, it } from 'vitest';
import type { PostHogMCPOptions, ToolDescriptor } from '../src/index';
import type { LogLevel } from '../src/logger';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

type Schema = { properties: Record<string, { type?: string; description?: string }>; required?: string[] };
const nameOf = (tool: unknown): unknown => (tool as { name?: unknown }).name;
const schemaOf = (tool: unknown): Schema => (tool as { inputSchema: Schema }).inputSchema;

async function listWith<T>(tools: readonly T[], options: PostHogMCPOptions = {}) {
  const posthog = wire.client(options);
  const listed = posthog.prepareToolList(tools);
  await posthog.shutdown();
  return listed;
}

const search: ToolDescriptor = {
  name: 'search_docs',
  description: 'Search.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string' },
      filters: { type: 'object', properties: { tag: { type: 'string' } } },
    },
    required: ['query'],
  },
  _meta: { category: 'docs' },
};

describe('the list step', () => {
  it('returns a new array in the same order without mutating a deep-frozen input', async () => {
    const tools = deepFreeze([search, { name: 'b' }, { name: 'c', inputSchema: { type: 'object' } }]);
    const listed = await listWith(tools);
    expect(listed).not.toBe(tools);
    expect(listed.map(nameOf)).toEqual(['search_docs', 'b', 'c']);
    expect(schemaOf(tools[0]).properties).not.toHaveProperty('context');
  });

  it('keeps untouched sub-schemas and fields as the same object references instead of cloning', async () => {
    const [decorated] = await listWith([search]);
    const original = schemaOf(search);
    const schema = schemaOf(decorated);
    expect(schema).not.toBe(original);
    expect(schema.properties.query).toBe(original.properties.query);
    expect(schema.properties.filters).toBe(original.properties.filters);
    expect((decorated as ToolDescriptor)._meta).toBe(search._meta);
  });

  it('injects context and llm_model as required and conversation_id as optional, with privacy-minded descriptions', async () => {
    const [decorated] = await listWith([search]);
    const schema = schemaOf(decorated);
    expect(schema.required).toEqual(['query', 'context', 'llm_model']);
    expect(Object.keys(schema.properties)).toEqual([
      'query',
      'filters',
      'context',
      'llm_model',
      'conversation_id',
    ]);
    for (const name of ['context', 'llm_model', 'conversation_id'])
      expect(schema.properties[name]?.type).toBe('string');
    const context = schema.properties.context?.description ?? '';
    expect(context).toMatch(/abstract purpose/);
    expect(context).toMatch(/by their role/);
    expect(context).toMatch(/personal/);
    expect(schema.properties.llm_model?.description).toMatch(/personal/);
  });

  it('skips an injected name the tool already declares and keeps the tool’s own definition', async () => {
    const own = {
      name: 'annotate',
      inputSchema: { type: 'object', properties: { context: { type: 'number' } } },
    };
    const [decorated] = await listWith([own]);
    const schema = schemaOf(decorated);
    expect(schema.properties.context).toEqual({ type: 'number' });
    expect(schema.required).toEqual(['llm_model']);
    expect(schema.properties).toHaveProperty('conversation_id');
  });

  it('a tool listed again follows its schema as it is now: what it declares, and what it no longer declares', async () => {
    const posthog = wire.client();
    const plain = {
      name: 'annotate',
      inputSchema: { type: 'object', properties: { note: { type: 'string' } } },
    };
    const own = {
      name: 'annotate',
      inputSchema: { type: 'object', properties: { context: { type: 'string' } } },
    };
    const args = { note: 'n', context: 'why', llm_model: 'model-a' };
    const handlerArgs: unknown[] = [];
    const listings: ToolDescriptor[][] = [
      [plain],
      [plain],
      [own],
      [own],
      [plain],
      [{ ...plain, inputSchema: { $ref: '#/x' } }],
    ];
    for (const tools of listings) {
      posthog.prepareToolList(tools);
      const call = posthog.prepareToolCall('annotate', args);
      handlerArgs.push(call.args);
      posthog.completeToolCall(call, { result: { content: [] } });
    }
    await posthog.shutdown();
    expect(handlerArgs).toEqual([
      { note: 'n' },
      { note: 'n' },
      { note: 'n', context: 'why' },
      { note: 'n', context: 'why' },
      { note: 'n' },
      args,
    ]);
  });

  it('skips all three arguments for $ref, oneOf, anyOf and allOf roots, warning once per tool', async () => {
    const logs: [LogLevel, string][] = [];
    const logger = (level: LogLevel, message: string) => logs.push([level, message]);
    const roots = ['$ref', 'oneOf', 'anyOf', 'allOf'].map((key) => ({
      name: `tool_${key}`,
      inputSchema: { [key]: key === '$ref' ? '#/defs/x' : [{ type: 'object' }] },
    }));
    const posthog = wire.client({ logger });
    const first = posthog.prepareToolList(roots);
    posthog.prepareToolList(roots);
    await posthog.shutdown();
    for (const [index, tool] of first.entries()) expect(tool).toBe(roots[index]);
    expect(logs.filter(([level]) => level === 'warn')).toHaveLength(4);
    for (const root of roots) expect(logs.some(([, message]) => message.includes(root.name))).toBe(true);
  });

  it('tolerates tools without an inputSchema and junk entries without throwing', async () => {
    const junk = [
      null,
      42,
      'text',
      { description: 'no name' },
      { name: 'bare' },
      { name: 'odd', inputSchema: 'x' },
    ];
    const listed = await listWith(junk);
    expect(listed.slice(0, 4)).toEqual(junk.slice(0, 4));
    expect(schemaOf(listed[4]).properties).toHaveProperty('context');
    expect(schemaOf(listed[4]).required).toEqual(['context', 'llm_model']);
    expect(listed).toHaveLength(6);
  });

  it('appends get_more_tools and send_feedback with the SPEC §5 arguments', async () => {
    const listed = await listWith([search], { reportMissing: true, collectFeedback: true });
    expect(listed.map(nameOf)).toEqual(['search_docs', 'get_more_tools', 'send_feedback']);
    const missing = schemaOf(listed[1]);
    expect(Object.keys(missing.properties)).toEqual(['context', 'llm_model', 'conversation_id']);
    expect(missing.required).toEqual(['context', 'llm_model']);
    const feedback = schemaOf(listed[2]);
    expect(Object.keys(feedback.properties)).toEqual([
      'feedback_type',
      'summary',
      'details',
      'friction_points',
      'suggested_improvement',
      'tool_name',
      'sentiment',
      'task_completed',
      'llm_model',
      'conversation_id',
    ]);
    expect(feedback.required).toEqual(['feedback_type', 'summary', 'llm_model']);
  });

  it('does not append a virtual tool when the server lists a tool of that name', async () => {
    const own = [{ name: 'get_more_tools' }, { name: 'send_feedback' }];
    const listed = await listWith(own, { reportMissing: true, collectFeedback: true });
    expect(listed.map(nameOf)).toEqual(['get_more_tools', 'send_feedback']);
  });

  it('uses the configured virtual tool names for both listing and detection', async () => {
    const posthog = wire.client({
      reportMissing: true,
      missingCapabilityToolName: 'request_tool',
      collectFeedback: { toolName: 'rate_us' },
    });
    const names = posthog.prepareToolList([]).map((tool) => (tool as ToolDescriptor).name);
    const missing = posthog.prepareToolCall('request_tool', { context: 'export to pdf' });
    const feedback = posthog.prepareToolCall('rate_us', { feedback_type: 'praise', summary: 'nice' });
    posthog.completeToolCall(missing);
    posthog.completeToolCall(feedback);
    await posthog.shutdown();
    expect(names).toEqual(['request_tool', 'rate_us']);
    expect(missing.isMissingCapability).toBe(true);
    expect(feedback.isFeedback).toBe(true);
    expect(wire.server.eventsNamed('$mcp_missing_capability')[0]?.properties.$mcp_resource_name).toBe(
      'request_tool',
    );
  });
});

describe('ownership learned from listings', () => {
  it('remembers earlier pages of a paginated list', async () => {
    const posthog = wire.client();
    posthog.prepareToolList([{ name: 'page_one' }]);
    posthog.prepareToolList([{ name: 'page_two' }]);
    const first = posthog.prepareToolCall('page_one', { q: 1, context: 'why', llm_model: 'm' });
    const second = posthog.prepareToolCall('page_two', { q: 2, context: 'why', llm_model: 'm' });
    await posthog.shutdown();
    expect(first.args).toEqual({ q: 1 });
    expect(second.args).toEqual({ q: 2 });
  });

  it('is bounded: the least recently listed tool is forgotten past 5,000 names', async () => {
    const posthog = wire.client();
    const tools = Array.from({ length: 5_001 }, (_, index) => ({ name: `tool_${index}` }));
    posthog.prepareToolList(tools);
    const forgotten = posthog.prepareToolCall('tool_0', { q: 1, context: 'why' });
    const kept = posthog.prepareToolCall('tool_5000', { q: 1, context: 'why' });
    await posthog.shutdown();
    expect(forgotten.args).toEqual({ q: 1, context: 'why' });
    expect(forgotten.intent).toBeUndefined();
    expect(kept.args).toEqual({ q: 1 });
    expect(kept.intent).toBe('why');
  });
});
