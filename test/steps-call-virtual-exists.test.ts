import { describe, expect, it } from 'vitest';
import type { PostHogMCPOptions } from '../src/index';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

/** The registry pattern hosts write: the virtual tools are never in it, so `exists` is false for them. */
const registry = [{ name: 'search_docs', inputSchema: { type: 'object', properties: {} } }];
const lookUp = (name: string) => registry.find((tool) => tool.name === name);

const VIRTUAL: [string, Partial<PostHogMCPOptions>, string, Record<string, unknown>, string][] = [
  [
    'get_more_tools',
    { reportMissing: true },
    'get_more_tools',
    { context: 'a calendar tool' },
    '$mcp_missing_capability',
  ],
  [
    'a renamed missing-capability tool',
    { reportMissing: true, missingCapabilityToolName: 'request_tool' },
    'request_tool',
    { context: 'a calendar tool' },
    '$mcp_missing_capability',
  ],
  [
    'send_feedback',
    { collectFeedback: true },
    'send_feedback',
    { feedback_type: 'bug', summary: 'search is slow' },
    '$mcp_feedback',
  ],
  [
    'a renamed feedback tool',
    { collectFeedback: { toolName: 'tell_us' } },
    'tell_us',
    { feedback_type: 'other', summary: 'nice' },
    '$mcp_feedback',
  ],
];

describe('exists: false for the name of an enabled virtual tool still means the virtual tool', () => {
  it.each(VIRTUAL)(
    '%s reaches its own event, never $mcp_unknown_tool',
    async (_label, options, name, args, event) => {
      const posthog = wire.client(options);
      const tool = lookUp(name);
      const call = posthog.prepareToolCall(name, args, { tool, exists: !!tool, session: 's' });
      expect(call.isUnknownTool).toBe(false);
      expect(call.isMissingCapability || call.isFeedback).toBe(true);
      const answer = posthog.completeToolCall(call);
      expect(answer).toMatchObject({ content: [{ type: 'text' }] });
      await posthog.shutdown();
      expect(wire.server.events.map((received) => received.event)).toEqual([event]);
    },
  );

  it.each([
    ['get_more_tools while reportMissing is off', {}, 'get_more_tools'],
    ['send_feedback while collectFeedback is off', {}, 'send_feedback'],
    ['another missing tool', { reportMissing: true, collectFeedback: true }, 'serch_docs'],
  ] as const)('%s stays an unknown tool', async (_label, options, name) => {
    const posthog = wire.client(options);
    const call = posthog.prepareToolCall(name, {}, { exists: false, session: 's' });
    expect(call.isUnknownTool).toBe(true);
    await posthog.shutdown();
    expect(wire.server.events.map((received) => received.event)).toEqual(['$mcp_unknown_tool']);
  });
});
