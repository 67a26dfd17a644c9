import { describe, expect, it } from 'vitest';
import type { MCPEvent } from '../src/index.js';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();

function tagged(event: MCPEvent, tag: string): MCPEvent {
  return { ...event, properties: { ...event.properties, tag } };
}

describe('the MCP beforeSend hook', () => {
  it('a synchronous hook edits the event', async () => {
    const client = wire.client({ beforeSend: (event) => tagged(event, 'sync') });
    client.captureToolCall({ toolName: 'search' });
    await client.shutdown();

    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties.tag).toBe('sync');
  });

  it('an asynchronous hook edits the event, distinct id included', async () => {
    const client = wire.client({
      beforeSend: async (event) => {
        await Promise.resolve();
        return { ...tagged(event, 'async'), distinctId: 'rewritten' };
      },
    });
    client.captureToolCall({ toolName: 'search' });
    await client.shutdown();

    const [event] = wire.server.eventsNamed('$mcp_tool_call');
    expect(event?.properties.tag).toBe('async');
    expect(event?.distinct_id).toBe('rewritten');
  });

  it('a distinct id from the hook that PostHog would refuse (over 200 characters) keeps the original', async () => {
    const client = wire.client({ beforeSend: (event) => ({ ...event, distinctId: 'x'.repeat(201) }) });
    client.captureToolCall({ toolName: 'search', sessionId: 's-1' });
    await client.shutdown();

    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.distinct_id).toBe('s-1');
  });

  it('the hook sees the sanitized event', async () => {
    const seen: MCPEvent[] = [];
    const client = wire.client({
      beforeSend: (event) => {
        seen.push(event);
        return event;
      },
    });
    client.captureToolCall({ toolName: 'search', parameters: { password: 'hunter2' } });
    await client.shutdown();

    expect(seen[0]?.properties.$mcp_parameters).toEqual({ password: '[redacted]' });
  });

  it.each([
    ['returning null', () => null],
    ['returning undefined', () => undefined],
    ['resolving null', async () => null],
    [
      'throwing',
      () => {
        throw new Error('hook failed');
      },
    ],
    ['rejecting', () => Promise.reject(new Error('hook failed'))],
  ])('%s drops the event', async (_label, hook) => {
    const client = wire.client({ beforeSend: hook });
    client.captureToolCall({ toolName: 'search' });
    client.captureInitialize({ clientName: 'x' });
    client.capture({ distinctId: 'host', event: 'host_event' });
    await client.shutdown();

    expect(wire.server.events.map((event) => event.event)).toEqual(['host_event']);
  });

  it('dropping a $mcp_tool_call also drops its $exception', async () => {
    const seen: string[] = [];
    const client = wire.client({
      beforeSend: (event) => {
        seen.push(event.event);
        return event.properties.$mcp_tool_name === 'dropped' ? null : event;
      },
    });
    client.captureToolCall({ toolName: 'dropped', error: new Error('boom') });
    client.captureToolCall({ toolName: 'kept', error: new Error('boom') });
    await client.shutdown();

    const tools = wire.server.events
      .map((event) => `${event.event}:${event.properties.$mcp_tool_name}`)
      .sort();
    expect(tools).toEqual(['$exception:kept', '$mcp_tool_call:kept']);
    expect(seen.filter((name) => name === '$exception')).toHaveLength(1);
  });

  it('the $exception sibling can be dropped on its own', async () => {
    const client = wire.client({ beforeSend: (event) => (event.event === '$exception' ? null : event) });
    client.captureToolCall({ toolName: 'search', error: new Error('boom') });
    await client.shutdown();

    expect(wire.server.events.map((event) => event.event)).toEqual(['$mcp_tool_call']);
  });

  it("the hook's output is exempt from the privacy passes", async () => {
    const client = wire.client({
      beforeSend: (event) => ({
        ...event,
        properties: { ...event.properties, owner_email: 'ada@example.com', api_key: 'kept-on-purpose' },
      }),
    });
    client.captureToolCall({ toolName: 'search' });
    await client.shutdown();

    expect(wire.server.eventsNamed('$mcp_tool_call')[0]?.properties).toMatchObject({
      owner_email: 'ada@example.com',
      api_key: 'kept-on-purpose',
    });
  });
});
