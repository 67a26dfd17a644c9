import { describe, expect, it } from 'vitest';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();

function only(name: string): IngestedEvent {
  const events = wire.server.eventsNamed(name);
  expect(events).toHaveLength(1);
  return events[0]!;
}

class QuotaExceededError extends Error {
  override name = 'QuotaExceededError';
}

class UpstreamTimeout extends Error {}

describe('captureToolCall', () => {
  it('a successful call sends $mcp_tool_call with its fields and no $exception', async () => {
    const client = wire.client();
    const timestamp = new Date('2026-01-02T03:04:05.000Z');
    client.captureToolCall({
      toolName: 'search',
      toolDescription: 'Searches the docs',
      category: 'Docs',
      intent: 'find the install guide',
      llmModel: 'claude-sonnet-4',
      parameters: { query: 'install' },
      response: { content: [{ type: 'text', text: 'found 3 pages' }] },
      durationMs: 42,
      timestamp,
    });
    await client.shutdown();

    const { properties, timestamp: sent } = only('$mcp_tool_call');
    expect(properties).toMatchObject({
      $mcp_tool_name: 'search',
      $mcp_resource_name: 'search',
      $mcp_tool_description: 'Searches the docs',
      $mcp_tool_category: 'Docs',
      $mcp_intent: 'find the install guide',
      $mcp_intent_source: 'context_parameter',
      $mcp_llm_model: 'claude-sonnet-4',
      $mcp_llm_model_source: 'self_reported',
      $mcp_parameters: { query: 'install' },
      $mcp_response: { content: [{ type: 'text', text: 'found 3 pages' }] },
      $mcp_duration_ms: 42,
      $mcp_is_error: false,
      $mcp_source: 'posthog_mcp_analytics',
    });
    expect(properties).not.toHaveProperty('$mcp_error_type');
    expect(sent).toBe(timestamp.toISOString());
    expect(wire.server.eventsNamed('$exception')).toHaveLength(0);
  });

  it('an isError result is a failure whose message is the result text', async () => {
    const client = wire.client();
    const response = { isError: true, content: [{ type: 'text', text: 'No such repository' }] };
    client.captureToolCall({ toolName: 'open_repo', isError: true, error: response, response });
    await client.shutdown();

    expect(only('$mcp_tool_call').properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'Error',
      $mcp_error_message: 'No such repository',
    });
  });

  it('a thrown custom error type becomes $mcp_error_type and the $exception type', async () => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', error: new QuotaExceededError('quota used up') });
    await client.shutdown();

    expect(only('$mcp_tool_call').properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'QuotaExceededError',
      $mcp_error_message: 'quota used up',
    });
    const [entry] = only('$exception').properties.$exception_list as { type: string; value: string }[];
    expect(entry).toMatchObject({ type: 'QuotaExceededError', value: 'quota used up' });
  });

  it('a subclass that keeps the generic name is typed by its constructor', async () => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', error: new UpstreamTimeout('slow upstream') });
    await client.shutdown();

    expect(only('$mcp_tool_call').properties.$mcp_error_type).toBe('UpstreamTimeout');
    const [entry] = only('$exception').properties.$exception_list as { type: string }[];
    expect(entry?.type).toBe('UpstreamTimeout');
  });

  it('an explicit errorType wins on the call while $exception keeps the real type', async () => {
    const client = wire.client();
    client.captureToolCall({
      toolName: 'search',
      error: new QuotaExceededError('quota used up'),
      errorType: 'rate_limited',
      errorStatus: 429,
    });
    await client.shutdown();

    expect(only('$mcp_tool_call').properties).toMatchObject({
      $mcp_error_type: 'rate_limited',
      $mcp_error_status: 429,
    });
    const [entry] = only('$exception').properties.$exception_list as { type: string }[];
    expect(entry?.type).toBe('QuotaExceededError');
  });

  it('errorStatus is sent only for a failure', async () => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', errorStatus: 503 });
    client.captureToolCall({ toolName: 'fetch', isError: true, errorStatus: 503 });
    await client.shutdown();

    const [success, failure] = ['search', 'fetch'].map(
      (name) => wire.server.events.find((event) => event.properties.$mcp_tool_name === name)!,
    );
    expect(success?.properties).not.toHaveProperty('$mcp_error_status');
    expect(failure?.properties.$mcp_error_status).toBe(503);
  });

  it('a wrapper error is typed by the cause it wraps', async () => {
    const client = wire.client();
    const wrapped = new Error('search failed', { cause: new QuotaExceededError('quota used up') });
    client.captureToolCall({ toolName: 'search', error: wrapped });
    await client.shutdown();

    expect(only('$mcp_tool_call').properties).toMatchObject({
      $mcp_error_type: 'QuotaExceededError',
      $mcp_error_message: 'search failed',
    });
    const types = (only('$exception').properties.$exception_list as { type: string }[]).map((e) => e.type);
    expect(types).toContain('QuotaExceededError');
  });

  it('a thrown string or plain object still gives a failure with a message', async () => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'a', error: 'plain string failure' });
    client.captureToolCall({ toolName: 'b', error: { message: 'object failure', code: 7 } });
    await client.shutdown();

    const byTool = (name: string) =>
      wire.server.events.find((e) => e.properties.$mcp_tool_name === name && e.event === '$mcp_tool_call');
    expect(byTool('a')?.properties).toMatchObject({
      $mcp_error_type: 'Error',
      $mcp_error_message: 'plain string failure',
    });
    expect(byTool('b')?.properties).toMatchObject({
      $mcp_error_type: 'Error',
      $mcp_error_message: 'object failure',
    });
    expect(wire.server.eventsNamed('$exception')).toHaveLength(2);
  });

  it('captureParameters and captureResponse options leave those properties out', async () => {
    const client = wire.client({ captureParameters: false, captureResponse: false });
    client.captureToolCall({ toolName: 'search', parameters: { q: 1 }, response: { content: [] } });
    await client.shutdown();

    const { properties } = only('$mcp_tool_call');
    expect(properties).not.toHaveProperty('$mcp_parameters');
    expect(properties).not.toHaveProperty('$mcp_response');
  });
});
