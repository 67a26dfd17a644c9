import { beforeEach, describe, expect, it } from 'vitest';
import type { PostHogMCP } from '../src/index.js';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire';

/** Code written for `@posthog/mcp` 0.16.3's `PostHogMCP` passes exactly these capture data field names. */

const wire = useIngestionServer();
let client: PostHogMCP;

beforeEach(() => {
  client = wire.client();
});

const timestamp = new Date('2026-03-04T05:06:07.000Z');

/** The common fields of 0.16.3's capture data. */
const common = {
  distinctId: 'user-7',
  sessionId: 'mcp-session-123',
  protocolVersion: '2025-06-18',
  clientUserAgent: 'claude-code/2.0.1 (cli)',
  vendorClient: 'claude-code',
  setProperties: { plan: 'team' },
  groups: { company: 'acme' },
  properties: { region: 'eu' },
  timestamp,
};

async function sent(name: string): Promise<IngestedEvent> {
  await client.shutdown();
  const events = wire.server.eventsNamed(name);
  expect(events).toHaveLength(1);
  const event = events[0]!;
  expect(event.distinct_id).toBe('user-7');
  expect(event.timestamp).toBe(timestamp.toISOString());
  expect(event.properties).toMatchObject({
    $session_id: 'mcp-session-123',
    $mcp_protocol_version: '2025-06-18',
    $mcp_client_user_agent: 'claude-code/2.0.1 (cli)',
    $mcp_vendor_client: 'claude-code',
    $set: { plan: 'team' },
    $groups: { company: 'acme' },
    region: 'eu',
  });
  return event;
}

describe('code written for @posthog/mcp 0.16.3 works unchanged', () => {
  it('captureToolCall accepts the 0.16.3 tool call fields', async () => {
    client.captureToolCall({
      ...common,
      toolName: 'search',
      toolDescription: 'Searches the docs',
      category: 'Docs',
      intent: 'find pricing',
      intentSource: 'inferred',
      llmModel: 'gpt-5',
      llmModelSource: 'client_metadata',
      parameters: { query: 'pricing' },
      response: { content: [{ type: 'text', text: 'no match' }], isError: true },
      durationMs: 12,
      isError: true,
      error: new TypeError('bad query'),
      errorType: 'validation',
    });
    const { properties } = await sent('$mcp_tool_call');
    expect(properties).toMatchObject({
      $mcp_tool_name: 'search',
      $mcp_tool_description: 'Searches the docs',
      $mcp_tool_category: 'Docs',
      $mcp_intent: 'find pricing',
      $mcp_intent_source: 'inferred',
      $mcp_llm_model: 'gpt-5',
      $mcp_llm_model_source: 'client_metadata',
      $mcp_parameters: { query: 'pricing' },
      $mcp_duration_ms: 12,
      $mcp_is_error: true,
      $mcp_error_type: 'validation',
      $mcp_error_message: 'bad query',
    });
  });

  it('captureInitialize accepts the 0.16.3 initialize fields', async () => {
    client.captureInitialize({
      ...common,
      clientName: 'claude-code',
      clientVersion: '2.0.1',
      parameters: { protocolVersion: '2025-06-18' },
      response: { serverInfo: { name: 'docs' } },
      durationMs: 3,
    });
    const { properties } = await sent('$mcp_initialize');
    expect(properties).toMatchObject({
      $mcp_client_name: 'claude-code',
      $mcp_client_version: '2.0.1',
      $mcp_duration_ms: 3,
    });
  });

  it('captureToolsList accepts the 0.16.3 listing fields', async () => {
    client.captureToolsList({
      ...common,
      toolNames: ['search', 'fetch'],
      parameters: { cursor: 'p1' },
      response: { tools: [{ name: 'search' }, { name: 'fetch' }], nextCursor: 'p2' },
      durationMs: 2,
      isError: false,
      error: undefined,
    });
    const { properties } = await sent('$mcp_tools_list');
    expect(properties).toMatchObject({
      $mcp_listed_tool_names: ['search', 'fetch'],
      $mcp_response: { nextCursor: 'p2' },
      $mcp_duration_ms: 2,
    });
  });

  it('captureMissingCapability accepts the 0.16.3 report fields', async () => {
    client.captureMissingCapability({
      ...common,
      context: 'bulk export of invoices',
      llmModel: 'claude-opus-4',
      llmModelSource: 'self_reported',
    });
    const { properties } = await sent('$mcp_missing_capability');
    expect(properties).toMatchObject({
      $mcp_intent: 'bulk export of invoices',
      $mcp_llm_model: 'claude-opus-4',
      $mcp_llm_model_source: 'self_reported',
    });
  });

  it('captureFeedback accepts the 0.16.3 feedback fields', async () => {
    client.captureFeedback({
      ...common,
      report: { feedbackType: 'praise', summary: 'fast answers', sentiment: 'positive', extras: {}, raw: {} },
      llmModel: 'claude-opus-4',
      llmModelSource: 'self_reported',
    });
    const { properties } = await sent('$mcp_feedback');
    expect(properties).toMatchObject({
      $mcp_feedback_type: 'praise',
      $mcp_feedback_summary: 'fast answers',
      $mcp_feedback_sentiment: 'positive',
      $mcp_llm_model: 'claude-opus-4',
    });
  });
});
