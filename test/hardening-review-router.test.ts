import { describe, expect, it } from 'vitest';
import type { ToolDescriptor } from '../src/index.js';
import { useIngestionServer } from './helpers/wire.js';

/**
 * The wrapped router never throws where the host's own router would not: answers and messages the host hands it
 * that cannot be read (a throwing `then` getter, a revoked proxy) are passed on as they are.
 */

const wire = useIngestionServer();
const tool: ToolDescriptor = { name: 'search', inputSchema: { type: 'object' } };
const call = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'search', arguments: {} },
});

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An answer for `id` whose `then` getter throws. */
function thenThrows(id: number): object {
  const answer = { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'ok' }] } };
  Object.defineProperty(answer, 'then', {
    get() {
      throw new Error('no then');
    },
  });
  return answer;
}

const BATCH_ANSWERS: [string, () => unknown[]][] = [
  ['an entry whose then getter throws', () => [thenThrows(1), thenThrows(2)]],
  ['a revoked proxy entry', () => [revoked(), { jsonrpc: '2.0', id: 2, result: { content: [] } }]],
];

describe('the wrapped router never throws on what the host hands it', () => {
  it.each(BATCH_ANSWERS)(
    'a batch answered with %s is returned, the readable calls captured',
    async (_, make) => {
      const client = wire.client({ conversationAnchoring: false });
      const answers = make();
      const handle = client.instrumentRouter(() => answers, { tools: () => [tool] });
      let returned: unknown;
      expect(() => {
        returned = handle([call(1), call(2)], {});
      }).not.toThrow();
      expect(Array.isArray(returned)).toBe(true);
      const list = returned as unknown[];
      expect(list.length).toBe(answers.length);
      answers.forEach((entry, index) => {
        expect(list[index] === entry).toBe(true);
      });
      await client.shutdown();
      expect(wire.server.eventsNamed('$mcp_tool_call').length).toBeGreaterThanOrEqual(1);
    },
  );

  it('a single answer whose then getter throws is returned as it is, and its call captured', async () => {
    const client = wire.client({ conversationAnchoring: false });
    const answer = thenThrows(1);
    const handle = client.instrumentRouter(() => answer, { tools: () => [tool] });
    let returned: unknown;
    expect(() => {
      returned = handle(call(1), {});
    }).not.toThrow();
    expect(returned === answer).toBe(true);
    await client.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')).toHaveLength(1);
  });

  it('a revoked proxy as the message reaches the host route untouched', async () => {
    const client = wire.client({ conversationAnchoring: false });
    const message = revoked();
    const seen: unknown[] = [];
    const handle = client.instrumentRouter(
      (m: unknown) => {
        seen.push(m);
        return undefined;
      },
      { tools: () => [tool] },
    );
    expect(() => handle(message, {})).not.toThrow();
    expect(seen.length === 1 && seen[0] === message).toBe(true);
    await client.shutdown();
  });
});
