/**
 * A typed route: compiled by `npm run typecheck` (tsc includes test/), so the `@ts-expect-error` lines fail the
 * build if the wrapper stops checking the message and context types, and the rest fails it if a typed route no
 * longer fits `instrumentRouter` without a cast.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

type MyRpc = {
  jsonrpc: '2.0';
  id?: number;
  method: 'tools/list' | 'tools/call';
  params?: { name?: string; arguments?: Record<string, unknown> };
};
type MyCtx = { userId: string; headers: Record<string, string> };
type MyResponse = { jsonrpc: '2.0'; id: number; result: { tools?: unknown[]; content?: unknown[] } };

const TOOLS = [{ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }];

function myRoute(message: MyRpc, ctx: MyCtx): MyResponse | undefined {
  if (message.id === undefined) return undefined;
  if (message.method === 'tools/list') return { jsonrpc: '2.0', id: message.id, result: { tools: TOOLS } };
  const text = `${ctx.userId}: ${String(message.params?.arguments?.text)}`;
  return { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text }] } };
}

async function myAsyncRoute(message: MyRpc, ctx: MyCtx): Promise<MyResponse | undefined> {
  return myRoute(message, ctx);
}

describe('instrumentRouter with a typed route', () => {
  it('accepts (message: MyRpc, ctx: MyCtx) => … as is and keeps both types on the wrapper', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(myRoute, {
      tools: () => TOOLS,
      headers: (ctx) => ctx.headers,
      identify: (ctx) => ({ distinctId: ctx.userId }),
    });
    const asyncHandle = posthog.instrumentRouter(myAsyncRoute, {
      identify: async (ctx) => ({ distinctId: ctx.userId }),
    });
    expectTypeOf(handle).parameters.toEqualTypeOf<[MyRpc, MyCtx]>();
    expectTypeOf(handle).returns.toEqualTypeOf<MyResponse | undefined>();
    expectTypeOf(asyncHandle).returns.toEqualTypeOf<Promise<MyResponse | undefined>>();

    const ctx = { userId: 'user-1', headers: { 'user-agent': 'typed/1.0' } };
    const args = { text: 'hi', context: 'say hi' };
    const answer = handle(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: args } },
      ctx,
    );
    expect(answer?.result.content?.[0]).toEqual({ type: 'text', text: 'user-1: hi' });
    await asyncHandle({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, ctx);

    // @ts-expect-error the wrapper takes the route's message type, not anything
    void handle({ id: 3, method: 'resources/list' }, ctx);
    // @ts-expect-error the wrapper takes the route's context type
    void handle({ jsonrpc: '2.0', id: 4, method: 'tools/list' }, { user: 'x' });
    // @ts-expect-error option functions receive the route's context type
    posthog.instrumentRouter(myRoute, { headers: (ctx: { other: number }) => ({ x: String(ctx.other) }) });

    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_tool_call')[0]).toMatchObject({
      distinct_id: 'user-1',
      properties: { $mcp_intent: 'say hi', $mcp_client_user_agent: 'typed/1.0' },
    });
  });
});
