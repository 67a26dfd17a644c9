import { describe, expect, it } from 'vitest';
import { deriveSessionId, type PostHogMCPOptions, type ToolDescriptor } from '../src/index';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const ok = { content: [{ type: 'text', text: 'ok' }] };
const search: ToolDescriptor = {
  name: 'search_docs',
  description: 'Search the docs.',
  inputSchema: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'number' } } },
  _meta: { category: 'docs' },
};

describe('unknown tools', () => {
  it('exists: false emits $mcp_unknown_tool with the requested name and no $mcp_tool_call', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall(
      'serch_docs',
      { query: 'q', context: 'why' },
      { exists: false, session: 's' },
    );
    const returned = posthog.completeToolCall(call, { result: ok });
    await posthog.shutdown();
    expect(call.isUnknownTool).toBe(true);
    expect(call.args).toEqual({ query: 'q', context: 'why' });
    expect(returned).toBe(ok);
    expect(wire.server.events.map((event) => event.event)).toEqual(['$mcp_unknown_tool']);
    const [event] = wire.server.events;
    expect(event?.properties.$mcp_tool_name).toBe('serch_docs');
    expect(event?.properties.$session_id).toBe(call.sessionId);
  });

  it('a call naming no tool emits nothing', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall('', {}, { exists: false });
    posthog.completeToolCall(call, { result: ok });
    await posthog.shutdown();
    expect(wire.server.events).toEqual([]);
  });
});

describe('the prepared call', () => {
  it('is a plain object with the documented fields', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall(
      'search_docs',
      { query: 'q', context: 'why' },
      { tool: search, session: 's' },
    );
    posthog.completeToolCall(call, { result: ok });
    await posthog.shutdown();
    expect(Object.getPrototypeOf(call)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(call))).toEqual({
      toolName: 'search_docs',
      args: { query: 'q' },
      intent: 'why',
      intentSource: 'context_parameter',
      sessionId: deriveSessionId('s'),
      isMissingCapability: false,
      isFeedback: false,
      isUnknownTool: false,
    });
  });
});

describe('the tool descriptor', () => {
  it('supplies $mcp_tool_description and $mcp_tool_category without any prior listing', async () => {
    const posthog = wire.client();
    posthog.completeToolCall(posthog.prepareToolCall('search_docs', { query: 'q' }, { tool: search }), {
      result: ok,
    });
    await posthog.shutdown();
    const [event] = wire.server.eventsNamed('$mcp_tool_call');
    expect(event?.properties.$mcp_tool_description).toBe('Search the docs.');
    expect(event?.properties.$mcp_tool_category).toBe('docs');
    expect(event?.properties.$mcp_resource_name).toBe('search_docs');
  });

  it('a real tool named like a virtual tool is never flagged when the descriptor is given', async () => {
    const posthog = wire.client({ reportMissing: true, collectFeedback: true });
    const own = { name: 'get_more_tools', inputSchema: { type: 'object', properties: { topic: {} } } };
    const missing = posthog.prepareToolCall('get_more_tools', { topic: 't' }, { tool: own });
    const feedback = posthog.prepareToolCall(
      'send_feedback',
      { summary: 's' },
      { tool: { name: 'send_feedback' } },
    );
    posthog.completeToolCall(missing, { result: ok });
    posthog.completeToolCall(feedback, { result: ok });
    await posthog.shutdown();
    expect([
      missing.isMissingCapability,
      missing.isFeedback,
      feedback.isMissingCapability,
      feedback.isFeedback,
    ]).toEqual([false, false, false, false]);
    expect(wire.server.events.map((event) => event.event)).toEqual(['$mcp_tool_call', '$mcp_tool_call']);
  });
});

describe("captureParameters: 'keys'", () => {
  async function keysOf(args: Record<string, unknown>, options: PostHogMCPOptions = {}) {
    const posthog = wire.client({ captureParameters: 'keys', ...options });
    posthog.completeToolCall(posthog.prepareToolCall('search_docs', args, { tool: search }), { result: ok });
    await posthog.shutdown();
    return wire.server.eventsNamed('$mcp_tool_call')[0]?.properties ?? {};
  }

  it('sends declared names sorted, one [redacted] marker for the rest, and no injected names or values', async () => {
    const props = await keysOf({
      query: 'secret text',
      limit: 3,
      email: 'x',
      other: 1,
      context: 'why',
      llm_model: 'm',
    });
    expect(props.$mcp_input_keys).toEqual(['limit', 'query', '[redacted]']);
    expect(props).not.toHaveProperty('$mcp_parameters');
    expect(JSON.stringify(props)).not.toContain('secret text');
  });

  it('keeps an injected name the tool declares itself', async () => {
    const posthog = wire.client({ captureParameters: 'keys' });
    const own = { name: 'annotate', inputSchema: { type: 'object', properties: { note: {}, context: {} } } };
    const call = posthog.prepareToolCall(
      'annotate',
      { note: 'n', context: 'data', llm_model: 'm' },
      { tool: own },
    );
    posthog.completeToolCall(call, { result: ok });
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.$mcp_input_keys).toEqual([
      'context',
      'note',
    ]);
  });

  it('counts aliases as declared and reports the ones used under an alias', async () => {
    const inputAliases = { search_docs: { query: ['q', 'search'], limit: ['max'] } };
    const props = await keysOf({ search: 'x', q: 'y', max: 2 }, { inputAliases });
    expect(props.$mcp_input_keys).toEqual(['max', 'q', 'search']);
    expect(props.$mcp_input_aliases_used).toEqual(['max:limit', 'q:query']);
  });
});

describe('feedback reports', () => {
  const collectFeedback = {
    extraProperties: {
      severity: { type: 'string' as const, enum: ['low', 'high'] },
      attempts: { type: 'integer' as const },
    },
  };

  it('coerce an unknown type to other, keep valid enums and matching declared extras, ignore undeclared ones', async () => {
    const posthog = wire.client({ collectFeedback });
    posthog.prepareToolList([]);
    const call = posthog.prepareToolCall('send_feedback', {
      feedback_type: 'rant',
      summary: 'Search is slow',
      details: 'It took ages.',
      sentiment: 'furious',
      task_completed: 'yes',
      severity: 'high',
      attempts: 2.5,
      undeclared: 'never captured',
      llm_model: 'model-f',
    });
    posthog.completeToolCall(call);
    await posthog.shutdown();
    expect(call.isFeedback).toBe(true);
    expect(call.feedbackReport).toMatchObject({
      feedbackType: 'other',
      summary: 'Search is slow',
      extras: { severity: 'high' },
    });
    expect(call.feedbackReport).not.toHaveProperty('sentiment');
    expect(call.feedbackReport).not.toHaveProperty('taskCompleted');
    const props = wire.server.eventsNamed('$mcp_feedback')[0]?.properties ?? {};
    expect(props.$mcp_feedback_type).toBe('other');
    expect(props.$mcp_feedback_severity).toBe('high');
    expect(props).not.toHaveProperty('$mcp_feedback_attempts');
    expect(props).not.toHaveProperty('$mcp_feedback_sentiment');
    expect(JSON.stringify(props)).not.toContain('never captured');
    expect(props.$mcp_llm_model).toBe('model-f');
  });
});
