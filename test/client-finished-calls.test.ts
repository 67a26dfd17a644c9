import { describe, expect, it } from 'vitest';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();

function only(name: string): IngestedEvent {
  const events = wire.server.eventsNamed(name);
  expect(events).toHaveLength(1);
  return events[0]!;
}

describe('the finished-call methods', () => {
  it('captureInitialize sends explicit client identity and duration', async () => {
    const client = wire.client();
    client.captureInitialize({
      clientName: 'cursor',
      clientVersion: '1.4.0',
      protocolVersion: '2025-06-18',
      durationMs: 4,
    });
    await client.shutdown();

    expect(only('$mcp_initialize').properties).toMatchObject({
      $mcp_client_name: 'cursor',
      $mcp_client_version: '1.4.0',
      $mcp_protocol_version: '2025-06-18',
      $mcp_duration_ms: 4,
    });
  });

  it('captureInitialize reads client identity from parameters.clientInfo', async () => {
    const client = wire.client();
    const parameters = {
      protocolVersion: '2025-03-26',
      clientInfo: { name: 'claude-code', version: '2.0.1' },
    };
    client.captureInitialize({ parameters });
    await client.shutdown();

    expect(only('$mcp_initialize').properties).toMatchObject({
      $mcp_client_name: 'claude-code',
      $mcp_client_version: '2.0.1',
      $mcp_protocol_version: '2025-03-26',
    });
  });

  it('captureToolsList sends the names and keeps only the envelope of the response', async () => {
    const client = wire.client();
    const tools = [{ name: 'search', inputSchema: { type: 'object' } }, { name: 'fetch' }];
    client.captureToolsList({ response: { tools, nextCursor: 'page-2', _meta: { ttl: 1 } } });
    client.captureToolsList({ toolNames: ['only_names'], response: { tools } });
    await client.shutdown();

    const [paged, single] = wire.server.eventsNamed('$mcp_tools_list');
    expect(paged?.properties.$mcp_listed_tool_names).toEqual(['search', 'fetch']);
    expect(paged?.properties.$mcp_response).toEqual({ nextCursor: 'page-2', _meta: { ttl: 1 } });
    expect(single?.properties.$mcp_listed_tool_names).toEqual(['only_names']);
    expect(single?.properties).not.toHaveProperty('$mcp_response');
    expect(JSON.stringify(wire.server.events)).not.toContain('inputSchema');
  });

  it('captureMissingCapability sends the report as intent', async () => {
    const client = wire.client({ missingCapabilityToolName: 'ask_for_more' });
    client.captureMissingCapability({ context: 'export the dashboard as PDF' });
    client.captureMissingCapability({ context: 'schedule a report weekly' });
    await client.shutdown();

    const events = wire.server.eventsNamed('$mcp_missing_capability');
    expect(events.map((event) => event.properties.$mcp_intent)).toEqual([
      'export the dashboard as PDF',
      'schedule a report weekly',
    ]);
    for (const event of events) {
      expect(event.properties.$mcp_resource_name).toBe('ask_for_more');
      expect(event.properties).not.toHaveProperty('$mcp_parameters');
    }
  });

  it('captureFeedback sends the report fields, intent from summary and details, and declared extras', async () => {
    const client = wire.client({ collectFeedback: { extraProperties: { ticket: { type: 'string' } } } });
    client.captureFeedback({
      report: {
        feedbackType: 'issue',
        summary: 'search misses recent pages',
        details: 'pages from today are absent',
        frictionPoints: 'had to retry',
        suggestedImprovement: 'index faster',
        toolName: 'search',
        sentiment: 'negative',
        taskCompleted: false,
        extras: { ticket: 'T-12' },
        raw: { secret_note: 'never captured' },
      },
    });
    await client.shutdown();

    const { properties } = only('$mcp_feedback');
    expect(properties).toMatchObject({
      $mcp_feedback_type: 'issue',
      $mcp_feedback_summary: 'search misses recent pages',
      $mcp_feedback_details: 'pages from today are absent',
      $mcp_feedback_friction_points: 'had to retry',
      $mcp_feedback_suggested_improvement: 'index faster',
      $mcp_feedback_tool: 'search',
      $mcp_feedback_sentiment: 'negative',
      $mcp_feedback_task_completed: false,
      $mcp_feedback_ticket: 'T-12',
      $mcp_intent: 'search misses recent pages\n\npages from today are absent',
    });
    expect(properties).not.toHaveProperty('$mcp_parameters');
    expect(JSON.stringify(properties)).not.toContain('never captured');
  });

  it('captureUnknownTool sends the requested name and no $mcp_tool_call', async () => {
    const client = wire.client();
    client.captureUnknownTool({ toolName: 'delete_everything' });
    await client.shutdown();

    expect(only('$mcp_unknown_tool').properties.$mcp_tool_name).toBe('delete_everything');
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(0);
  });

  it('captureInputRequired sends the request methods sorted by key', async () => {
    const client = wire.client();
    const result = {
      resultType: 'input_required',
      inputRequests: { b: { method: 'sampling/createMessage' }, a: { method: 'elicitation/create' } },
    };
    client.captureInputRequired({ toolName: 'book_flight', durationMs: 9, result });
    await client.shutdown();

    expect(only('$mcp_input_required').properties).toMatchObject({
      $mcp_tool_name: 'book_flight',
      $mcp_duration_ms: 9,
      $mcp_input_request_methods: ['elicitation/create', 'sampling/createMessage'],
    });
  });

  it('resource and prompt methods send names and envelopes, never contents', async () => {
    const client = wire.client();
    const secret = 'CONTENTS-MUST-NOT-LEAK';
    client.captureResourceRead({ uri: 'file:///docs/guide.md', durationMs: 2 });
    client.captureResourcesList({
      response: { resources: [{ uri: 'file:///a', text: secret }], nextCursor: 'r2' },
    });
    client.capturePromptGet({ name: 'summarize', durationMs: 1 });
    client.capturePromptsList({ response: { prompts: [{ name: 'summarize', messages: [secret] }] } });
    await client.shutdown();

    expect(only('$mcp_resource_read').properties.$mcp_resource_name).toBe('file:///docs/guide.md');
    expect(only('$mcp_resources_list').properties).toMatchObject({
      $mcp_listed_resource_names: ['file:///a'],
      $mcp_response: { nextCursor: 'r2' },
    });
    expect(only('$mcp_prompt_get').properties.$mcp_prompt_name).toBe('summarize');
    expect(only('$mcp_prompts_list').properties.$mcp_listed_prompt_names).toEqual(['summarize']);
    expect(only('$mcp_prompts_list').properties).not.toHaveProperty('$mcp_response');
    expect(JSON.stringify(wire.server.events)).not.toContain(secret);
  });

  it('a failed resource read carries the failure properties', async () => {
    const client = wire.client();
    client.captureResourceRead({
      uri: 'file:///missing',
      error: new Error('ENOENT'),
      errorType: 'validation',
    });
    await client.shutdown();

    expect(only('$mcp_resource_read').properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_type: 'validation',
      $mcp_error_message: 'ENOENT',
    });
  });
});
