import { describe, expect, it } from 'vitest';
import type { PostHogMCP } from '../src/index.js';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();

/** Captures `count` tool calls, every other one failing (so it also has an `$exception`). */
function captureCalls(client: PostHogMCP, count: number): void {
  for (let index = 0; index < count; index++) {
    client.captureToolCall({
      toolName: `tool_${index}`,
      durationMs: index,
      ...(index % 2 === 1 ? { error: new Error(`failure ${index}`) } : {}),
    });
  }
}

function countOf(name: string): number {
  return wire.server.eventsNamed(name).length;
}

describe('flush and shutdown wait for accepted MCP work', () => {
  it('flush right after many captures delivers every call and every $exception sibling', async () => {
    const client = wire.client();
    captureCalls(client, 120);
    await client.flush();

    expect(countOf('$mcp_tool_call')).toBe(120);
    expect(countOf('$exception')).toBe(60);
    await client.shutdown();
  });

  it('shutdown right after many captures delivers everything', async () => {
    const client = wire.client();
    captureCalls(client, 50);
    client.captureInitialize({ clientName: 'x' });
    await client.shutdown();

    expect(countOf('$mcp_tool_call')).toBe(50);
    expect(countOf('$exception')).toBe(25);
    expect(countOf('$mcp_initialize')).toBe(1);
  });

  it('flush waits for a slow asynchronous beforeSend', async () => {
    const client = wire.client({
      beforeSend: async (event) => {
        for (let tick = 0; tick < 20; tick++) await new Promise<void>((resolve) => setImmediate(resolve));
        return event;
      },
    });
    captureCalls(client, 10);
    await client.flush();

    expect(countOf('$mcp_tool_call')).toBe(10);
    expect(countOf('$exception')).toBe(5);
    await client.shutdown();
  });

  it('work accepted after one flush is delivered by the next', async () => {
    const client = wire.client();
    captureCalls(client, 3);
    await client.flush();
    captureCalls(client, 4);
    await client.flush();

    expect(countOf('$mcp_tool_call')).toBe(7);
    await client.shutdown();
  });

  it('the waitUntil option receives the deferred work, which settles after delivery', async () => {
    const handed: Promise<unknown>[] = [];
    const client = wire.client({ waitUntil: (promise) => handed.push(promise) });
    captureCalls(client, 4);
    expect(handed.length).toBeGreaterThan(0);
    await Promise.all(handed);

    expect(countOf('$mcp_tool_call')).toBe(4);
    expect(countOf('$exception')).toBe(2);
    await client.shutdown();
  });
});
