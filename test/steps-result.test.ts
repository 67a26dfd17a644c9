import { describe, expect, it } from 'vitest';
import { deriveSessionId, type ToolDescriptor } from '../src/index';
import { readHandleFromResult } from '../src/session/conversation-handle';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

class UpstreamTimeout extends Error {
  override name = 'UpstreamTimeout';
}

const tool: ToolDescriptor = { name: 'search_docs', inputSchema: { type: 'object', properties: {} } };
const text = (value: string) => ({ content: [{ type: 'text', text: value }] });
const HANDLE_TEXT =
  /^\{"conversation_id":"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"\}$/;

async function toolCalls(posthog: { shutdown(): Promise<void> }) {
  await posthog.shutdown();
  return wire.server.eventsNamed('$mcp_tool_call');
}

describe('the $mcp_tool_call event', () => {
  it('is sent exactly once, stamped with the request start and timed from it', async () => {
    const posthog = wire.client();
    const startedAt = new Date('2025-01-02T03:04:05.678Z');
    const call = posthog.prepareToolCall('search_docs', { query: 'q' }, { tool, startedAt, session: 's' });
    posthog.completeToolCall(call, { result: text('ok'), endedAt: startedAt.getTime() + 250 });
    const events = await toolCalls(posthog);
    expect(events).toHaveLength(1);
    expect(new Date(String(events[0]?.timestamp)).toISOString()).toBe(startedAt.toISOString());
    expect(events[0]?.properties).toMatchObject({
      $mcp_duration_ms: 250,
      $mcp_is_error: false,
      $mcp_source: 'posthog_mcp_analytics',
      $mcp_interface: 'mcp',
    });
  });

  it('never has a negative duration: an endedAt before the start clamps to 0; one that is not a time falls back to the monotonic reading', async () => {
    const posthog = wire.client();
    const startedAt = Date.parse('2025-01-02T03:04:05Z');
    const backwards = posthog.prepareToolCall('search_docs', {}, { tool, session: 's', startedAt });
    posthog.completeToolCall(backwards, { result: text('ok'), endedAt: Number.NaN });
    const before = posthog.prepareToolCall('search_docs', {}, { tool, session: 's', startedAt });
    posthog.completeToolCall(before, { result: text('ok'), endedAt: startedAt - 5_000 });
    const after = posthog.prepareToolCall('search_docs', {}, { tool, session: 's', startedAt });
    posthog.completeToolCall(after, { result: text('ok'), endedAt: new Date(startedAt + 1_500) });
    const events = await toolCalls(posthog);
    const [notATime, early, late] = events.map((event) => Number(event.properties.$mcp_duration_ms));
    expect(notATime).toBeGreaterThanOrEqual(0);
    expect(notATime).toBeLessThan(10_000);
    expect([early, late]).toEqual([0, 1_500]);
  });

  it('carries $mcp_parameters in the request shape with injected arguments removed, {} when absent', async () => {
    const posthog = wire.client();
    const args = { query: 'q', context: 'why', llm_model: 'm' };
    posthog.completeToolCall(posthog.prepareToolCall('search_docs', args, { tool, session: 's' }), {
      result: text('ok'),
    });
    posthog.completeToolCall(posthog.prepareToolCall('search_docs', undefined, { tool, session: 's' }), {
      result: text('ok'),
    });
    const events = await toolCalls(posthog);
    expect(events.map((event) => JSON.stringify(event.properties.$mcp_parameters))).toEqual([
      '{"request":{"method":"tools/call","params":{"name":"search_docs","arguments":{"query":"q"}}}}',
      '{"request":{"method":"tools/call","params":{"name":"search_docs","arguments":{}}}}',
    ]);
  });

  it('replaces image, audio and blob content in $mcp_response with placeholders', async () => {
    const posthog = wire.client();
    const result = {
      content: [
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.bin', blob: 'AAAA' } },
        { type: 'text', text: 'caption' },
      ],
    };
    const delivered = posthog.completeToolCall(
      posthog.prepareToolCall('search_docs', {}, { tool, session: 's' }),
      {
        result,
      },
    );
    const [event] = await toolCalls(posthog);
    expect(delivered).toBe(result);
    const response = JSON.stringify(event?.properties.$mcp_response);
    expect(response).not.toMatch(/iVBORw0KGgo|UklGRg|AAAA/);
    expect(response).toContain('[image redacted - not supported by PostHog MCP analytics]');
    expect(response).toContain('[audio redacted - not supported by PostHog MCP analytics]');
    expect(response).toContain('caption');
  });
});

describe('conversation handles in results', () => {
  it('are appended as the last text block only when minted, leaving the host’s result untouched', async () => {
    const posthog = wire.client();
    const original = text('found');
    const minted = posthog.prepareToolCall('search_docs', {}, { tool });
    const withHandle = posthog.completeToolCall(minted, { result: original });
    const sessioned = posthog.prepareToolCall('search_docs', {}, { tool, session: 's' });
    const withoutHandle = posthog.completeToolCall(sessioned, { result: original });
    const events = await toolCalls(posthog);
    expect(original).toEqual(text('found'));
    expect(withoutHandle).toBe(original);
    expect(withHandle?.content).toHaveLength(2);
    expect(withHandle?.content[0]).toEqual({ type: 'text', text: 'found' });
    expect(withHandle?.content[1]?.text).toMatch(HANDLE_TEXT);
    expect(readHandleFromResult(withHandle)).toBe(minted.conversationId);
    expect(events[0]?.properties.$session_id).toBe(deriveSessionId(minted.conversationId ?? ''));
    expect(events[0]?.properties.$mcp_conversation_id).toBe(minted.conversationId);
    expect(JSON.stringify(events[0]?.properties.$mcp_response)).not.toContain('conversation_id');
  });

  it('never leak into $mcp_error_message of an isError result', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall('search_docs', {}, { tool });
    const delivered = posthog.completeToolCall(call, {
      result: { ...text('quota exceeded'), isError: true },
    });
    const [event] = await toolCalls(posthog);
    expect(readHandleFromResult(delivered)).toBe(call.conversationId);
    expect(event?.properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'Error',
      $mcp_error_message: 'quota exceeded',
    });
  });

  it('that were not delivered (a thrown error without a result) never become the session', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall('search_docs', {}, { tool });
    const returned = posthog.completeToolCall(call, { error: new UpstreamTimeout('upstream timed out') });
    await posthog.shutdown();
    const [event] = wire.server.eventsNamed('$mcp_tool_call');
    const [exception] = wire.server.eventsNamed('$exception');
    expect(returned).toBeUndefined();
    expect(event?.properties.$session_id).not.toBe(deriveSessionId(call.conversationId ?? ''));
    expect(event?.properties.$session_id).toMatch(/^ses_/);
    expect(event?.properties).not.toHaveProperty('$mcp_conversation_id');
    expect(event?.properties).toMatchObject({
      $mcp_error_type: 'UpstreamTimeout',
      $mcp_error_message: 'upstream timed out',
    });
    expect(exception?.properties.$session_id).toBe(event?.properties.$session_id);
  });

  it('a thrown error with a result delivers the handle and keeps the explicit type and status', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall('search_docs', {}, { tool });
    const error = new UpstreamTimeout('upstream timed out');
    const delivered = posthog.completeToolCall(call, {
      result: { ...text('upstream timed out'), isError: true },
      error,
      errorType: 'timeout',
      errorStatus: 504,
    });
    await posthog.shutdown();
    const [event] = wire.server.eventsNamed('$mcp_tool_call');
    const [exception] = wire.server.eventsNamed('$exception');
    expect(readHandleFromResult(delivered)).toBe(call.conversationId);
    expect(event?.properties).toMatchObject({
      $session_id: deriveSessionId(call.conversationId ?? ''),
      $mcp_error_type: 'timeout',
      $mcp_error_status: 504,
    });
    const list = exception?.properties.$exception_list as { type: string }[];
    expect(list[0]?.type).toBe('UpstreamTimeout');
    expect(exception?.properties.$mcp_conversation_id).toBe(call.conversationId);
  });

  it('returns undefined when no result is given', async () => {
    const posthog = wire.client();
    const returned = posthog.completeToolCall(
      posthog.prepareToolCall('search_docs', {}, { tool, session: 's' }),
    );
    const events = await toolCalls(posthog);
    expect(returned).toBeUndefined();
    expect(events).toHaveLength(1);
  });
});
