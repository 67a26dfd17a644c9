import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { decodeSessionToken, type PostHogMCP } from '../src/index';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();
const initialize = (protocolVersion: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion, clientInfo: { name: 'cursor', version: '1.4' }, capabilities: {} },
});

interface Request {
  sessionId?: string;
}

function tokenRouter(
  posthog: PostHogMCP,
  minted: string[],
  mint: boolean | ((r: Request) => boolean) = true,
) {
  return posthog.instrumentRouter(route, {
    tools: () => TOOLS,
    session: (request: Request) => request.sessionId,
    mintSessionToken: mint,
    onSessionToken: (token) => minted.push(token),
  });
}

describe('instrumentRouter session tokens for legacy stateless HTTP', () => {
  it('mints a token at initialize, hands it to onSessionToken, and groups replayed calls under its sid', async () => {
    const posthog = wire.client();
    const minted: string[] = [];
    const handle = tokenRouter(posthog, minted);
    expect(handle(initialize('2025-06-18'), {})).toEqual(route(initialize('2025-06-18')));
    expect(minted).toHaveLength(1);
    const token = minted[0] as string;
    const payload = decodeSessionToken(token);
    expect(payload).toMatchObject({ cn: 'cursor', cv: '1.4', pv: '2025-06-18' });
    const message = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'divide', arguments: { a: 1, b: 2 } },
    };
    const response = handle(message, { sessionId: token }) as { result: { content: unknown[] } };
    expect(response.result.content).toHaveLength(1);
    await posthog.shutdown();
    const [init] = wire.server.eventsNamed('$mcp_initialize');
    const [call] = wire.server.eventsNamed('$mcp_tool_call');
    expect(init?.properties.$session_id).toBe(payload?.sid);
    expect(call?.properties).toMatchObject({
      $session_id: payload?.sid,
      $mcp_client_name: 'cursor',
      $mcp_client_version: '1.4',
      $mcp_protocol_version: '2025-06-18',
    });
  });

  it('never mints for a 2026-07-28 request, when a session exists, or when the host declines', async () => {
    const posthog = wire.client();
    const minted: string[] = [];
    tokenRouter(posthog, minted)(initialize('2026-07-28'), {});
    tokenRouter(posthog, minted)(initialize('2025-06-18'), { sessionId: 'existing-session' });
    tokenRouter(posthog, minted, () => false)(initialize('2025-06-18'), {});
    expect(minted).toEqual([]);
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_initialize')).toHaveLength(3);
  });

  it('still answers initialize when onSessionToken throws', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, {
      mintSessionToken: true,
      onSessionToken: () => {
        throw new Error('headers already sent');
      },
    });
    expect(handle(initialize('2025-06-18'), {})).toEqual(route(initialize('2025-06-18')));
    await posthog.shutdown();
    expect(wire.server.eventsNamed('$mcp_initialize')).toHaveLength(1);
  });

  it('rejects invalid options at configuration with a TypeError naming the option', async () => {
    const posthog = wire.client();
    expect(() => posthog.instrumentRouter(route, { mintSessionToken: true })).toThrow(/onSessionToken/);
    expect(() => posthog.instrumentRouter(route, { tools: 'all' as never })).toThrow(TypeError);
    expect(() => posthog.instrumentRouter('route' as never)).toThrow(/`route`/);
    expect(() => posthog.instrumentRouter(route, { identify: {} as never })).toThrow(/`identify`/);
    await posthog.shutdown();
  });
});
