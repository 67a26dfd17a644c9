// #region readme:test-sink
import { expect, it } from 'vitest';
import { PostHogMCP } from '../src/index';
import { createEventSink } from '../src/testing';

it('search_docs reports the agent’s intent', async () => {
  const sink = createEventSink(); // in memory; nothing leaves the process
  const posthog = new PostHogMCP('phc_test', { fetch: sink.fetch });
  const tool = { name: 'search_docs', inputSchema: { type: 'object', properties: {} } };

  // In your suite, drive your own router with this `posthog` instead.
  const call = posthog.prepareToolCall('search_docs', { context: 'find the refund policy' }, { tool });
  posthog.completeToolCall(call, { result: { content: [{ type: 'text', text: '3 pages' }] } });
  await posthog.shutdown();

  const [event] = sink.eventsNamed('$mcp_tool_call');
  expect(event?.properties).toMatchObject({
    $mcp_tool_name: 'search_docs',
    $mcp_intent: 'find the refund policy',
  });
});
// #endregion readme:test-sink
