import { describe, expect, it } from 'vitest';
import {
  deriveSessionId,
  encodeSessionToken,
  getMoreToolsResult,
  sendFeedbackResult,
  type ToolDescriptor,
} from '../src/index';
import { readHandleFromResult } from '../src/session/conversation-handle';
import type { TextResult } from '../src/tools/virtual-tools';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const tool: ToolDescriptor = { name: 'deploy', inputSchema: { type: 'object', properties: {} } };
const text = (value: string) => ({ content: [{ type: 'text', text: value }] });
const names = () => wire.server.events.map((event) => event.event);

describe('input_required rounds', () => {
  it('emit $mcp_input_required with sorted methods and no call; the retry emits the one $mcp_tool_call', async () => {
    const posthog = wire.client();
    const startedAt = Date.now();
    const round = posthog.prepareToolCall('deploy', {}, { tool, startedAt });
    const inputRequired = {
      resultType: 'input_required',
      inputRequests: {
        b_confirm: { method: 'elicitation/create', params: {} },
        a_sample: { method: 'sampling/createMessage', params: {} },
        c_roots: { method: 'roots/list' },
      },
    };
    const returned = posthog.completeToolCall(round, { result: inputRequired, endedAt: startedAt + 40 });
    const retry = posthog.prepareToolCall('deploy', {}, { tool, session: 's' });
    posthog.completeToolCall(retry, { result: text('deployed') });
    await posthog.shutdown();
    expect(returned).toBe(inputRequired);
    expect(names()).toEqual(['$mcp_input_required', '$mcp_tool_call']);
    expect(wire.server.events[0]?.properties).toMatchObject({
      $mcp_tool_name: 'deploy',
      $mcp_duration_ms: 40,
      $mcp_input_request_methods: ['sampling/createMessage', 'elicitation/create', 'roots/list'],
    });
    expect(wire.server.events[0]?.properties).not.toHaveProperty('$mcp_conversation_id');
  });

  it('a round with only requestState records an empty method list', async () => {
    const posthog = wire.client();
    const round = posthog.prepareToolCall('deploy', {}, { tool, session: 's' });
    posthog.completeToolCall(round, { result: { resultType: 'input_required', requestState: 'opaque' } });
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_input_required')[0]?.properties.$mcp_input_request_methods).toEqual(
      [],
    );
  });
});

describe('task calls', () => {
  const taskHandle = { resultType: 'task', task: { taskId: 't1', status: 'working' } };

  it.each([
    ['completed', text('done'), { $mcp_is_error: false }],
    [
      'failed',
      { ...text('disk full'), isError: true },
      { $mcp_is_error: true, $mcp_error_message: 'disk full' },
    ],
    ['cancelled', undefined, { $mcp_is_error: true, $mcp_error_type: 'cancelled' }],
  ] as const)(
    'a %s task emits one $mcp_tool_call timed from the original start',
    async (status, result, expected) => {
      const posthog = wire.client();
      const startedAt = Date.now();
      const call = posthog.prepareToolCall('deploy', {}, { tool, session: 's', startedAt });
      expect(posthog.completeToolCall(call, { result: taskHandle })).toBe(taskHandle);
      await posthog.flush();
      expect(wire.server.events).toEqual([]);
      const endedAt = startedAt + 5_000;
      posthog.completeToolCall(call, { status, endedAt, ...(result ? { result } : {}) });
      posthog.completeToolCall(call, { status, endedAt, ...(result ? { result } : {}) });
      await posthog.shutdown();
      expect(names()).toEqual(['$mcp_tool_call', ...(status === 'completed' ? [] : ['$exception'])]);
      expect(wire.server.events[0]?.properties).toMatchObject({ $mcp_duration_ms: 5_000, ...expected });
    },
  );
});

describe('completing a call', () => {
  it('twice emits once', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall('deploy', {}, { tool, session: 's' });
    posthog.completeToolCall(call, { result: text('one') });
    const second = posthog.completeToolCall(call, { result: text('two') });
    await posthog.shutdown();
    expect(second).toEqual(text('two'));
    expect(names()).toEqual(['$mcp_tool_call']);
  });
});

describe('virtual tools', () => {
  it('get_more_tools emits $mcp_missing_capability with the report as intent and returns the canned text plus the handle', async () => {
    const posthog = wire.client({ reportMissing: true });
    const call = posthog.prepareToolCall('get_more_tools', {
      context: 'export a report to PDF',
      llm_model: 'model-v',
    });
    const returned = posthog.completeToolCall<TextResult>(call);
    await posthog.shutdown();
    expect(call.isMissingCapability).toBe(true);
    expect(returned?.content.slice(0, -1)).toEqual(getMoreToolsResult().content);
    expect(readHandleFromResult(returned)).toBe(call.conversationId);
    expect(names()).toEqual(['$mcp_missing_capability']);
    const props = wire.server.events[0]?.properties ?? {};
    expect(props).toMatchObject({
      $mcp_intent: 'export a report to PDF',
      $mcp_intent_source: 'context_parameter',
      $mcp_resource_name: 'get_more_tools',
      $mcp_llm_model: 'model-v',
      $session_id: deriveSessionId(call.conversationId ?? ''),
      $mcp_conversation_id: call.conversationId,
    });
    expect(props).not.toHaveProperty('$mcp_parameters');
  });

  it('send_feedback emits $mcp_feedback with summary and details as intent and no $mcp_parameters', async () => {
    const posthog = wire.client({ collectFeedback: true });
    const call = posthog.prepareToolCall(
      'send_feedback',
      {
        feedback_type: 'issue',
        summary: 'Search misses drafts',
        details: 'Drafts never show up.',
        friction_points: 'had to guess ids',
        suggested_improvement: 'index drafts',
        tool_name: 'search_docs',
        sentiment: 'negative',
        task_completed: false,
      },
      { session: 'legacy' },
    );
    const returned = posthog.completeToolCall(call);
    await posthog.shutdown();
    expect(returned).toEqual(sendFeedbackResult());
    const props = wire.server.eventsNamed('$mcp_feedback')[0]?.properties ?? {};
    expect(props).toMatchObject({
      $mcp_feedback_type: 'issue',
      $mcp_feedback_summary: 'Search misses drafts',
      $mcp_feedback_details: 'Drafts never show up.',
      $mcp_feedback_friction_points: 'had to guess ids',
      $mcp_feedback_suggested_improvement: 'index drafts',
      $mcp_feedback_tool: 'search_docs',
      $mcp_feedback_sentiment: 'negative',
      $mcp_feedback_task_completed: false,
      $mcp_intent: 'Search misses drafts\n\nDrafts never show up.',
      $session_id: deriveSessionId('legacy'),
    });
    expect(props).not.toHaveProperty('$mcp_parameters');
    expect(names()).toEqual(['$mcp_feedback']);
  });
});

describe('captureInitialize and captureToolsList', () => {
  it('accept session, headers and meta, and a listing keeps only the result envelope', async () => {
    const posthog = wire.client();
    const token = encodeSessionToken({ sid: 'ses_listing', cn: 'token-client', pv: '2025-06-18' }) ?? '';
    const headers = { 'user-agent': 'agent/2', 'x-anthropic-client': 'claude-desktop' };
    const meta = { 'io.modelcontextprotocol/clientInfo': { name: 'meta-client', version: '4' } };
    posthog.captureInitialize({ session: token, headers, parameters: { protocolVersion: '2025-06-18' } });
    const tools = posthog.prepareToolList([tool]);
    posthog.captureToolsList({
      tools,
      response: { tools, nextCursor: 'page-2' },
      session: token,
      headers,
      meta,
    });
    posthog.captureToolsList({ tools: [], response: { tools: [] }, session: { connection: 'c' } });
    await posthog.shutdown();
    const [init] = wire.server.eventsNamed('$mcp_initialize');
    const [list, emptyList] = wire.server.eventsNamed('$mcp_tools_list');
    expect(init?.properties).toMatchObject({ $session_id: 'ses_listing', $mcp_client_user_agent: 'agent/2' });
    expect(list?.properties).toMatchObject({
      $session_id: 'ses_listing',
      $mcp_client_name: 'meta-client',
      $mcp_vendor_client: 'claude-desktop',
      $mcp_listed_tool_names: ['deploy'],
      $mcp_response: { nextCursor: 'page-2' },
    });
    expect(emptyList?.properties).not.toHaveProperty('$mcp_response');
    expect(emptyList?.properties.$mcp_listed_tool_names).toEqual([]);
  });
});
