import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHandleFromResult } from '../src/session/conversation-handle';
import { decodeSessionToken, encodeSessionToken } from '../src/session/session-token';
import { NOT_TOKENS } from './helpers/forged-tokens';
import { LONG } from './helpers/hardening-harness';
import { build, HOSTILE_BUILDERS, type Recipe, TEN_MB } from './helpers/hardening-hostile';
import { useIngestionServer } from './helpers/wire';

const isRecipe = (value: unknown): value is Recipe =>
  typeof value === 'object' && value !== null && 'hostile' in value;

const RUNS = LONG ? 2_000 : 200;
const wire = useIngestionServer();

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
const TOOL = { name: 'lookup', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };

describe('forged session tokens', () => {
  it('hostile values never throw from decode or encode', () => {
    for (let index = 0; index < HOSTILE_BUILDERS.length; index++) {
      const value = build({ hostile: index });
      expect(decodeSessionToken(value)).toBeNull();
      expect(() => encodeSessionToken(value as never)).not.toThrow();
      expect(() => encodeSessionToken({ sid: value } as never)).not.toThrow();
    }
  });
});

describe('forged conversation handles and result blocks', () => {
  it('hostile results never throw and yield no handle', () => {
    for (let index = 0; index < HOSTILE_BUILDERS.length; index++) {
      expect(readHandleFromResult(build({ hostile: index }))).toBeUndefined();
    }
    const uuidv4 = '0d9f0c6e-3f5b-4c2a-9a1e-2b3c4d5e6f70';
    expect(
      readHandleFromResult({ content: [{ type: 'text', text: `{"conversation_id":"${uuidv4}"}` }] }),
    ).toBeUndefined();
  });
});

describe('session ids on the wire from hostile sessions and handles', () => {
  it('$session_id is always a string of at most 128 characters and a bad handle never anchors', async () => {
    const client = wire.client();
    const { server } = wire;
    const sessions = fc.oneof(
      fc.constantFrom(...NOT_TOKENS.map(([, value]) => value)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.record({ sid: fc.string({ maxLength: 400 }), cn: fc.string() }).map((p) => b64(JSON.stringify(p))),
      fc.integer({ min: 0, max: HOSTILE_BUILDERS.length - 1 }).map((hostile): Recipe => ({ hostile })),
    );
    const handles = fc.oneof(
      fc.uuid(),
      fc.string(),
      fc.constant(TEN_MB),
      fc.constant('0190F0E8-7A6B-7C3D-9E4F-5A6B7C8D9E0F'),
    );
    fc.assert(
      fc.property(sessions, handles, (session, handle) => {
        const value = isRecipe(session) ? build(session) : session;
        const call = client.prepareToolCall(
          'lookup',
          { q: 'x', conversation_id: handle },
          { tool: TOOL, session: value as string },
        );
        expect(typeof call.sessionId).toBe('string');
        client.completeToolCall(call, { result: { content: [] } });
        client.captureToolCall({ toolName: 'finished', sessionId: value as string, conversationId: handle });
      }),
      { numRuns: RUNS },
    );
    await client.shutdown(30_000);
    expect(server.events.length).toBeGreaterThanOrEqual(RUNS * 2);
    for (const event of server.events) {
      const sessionId = event.properties.$session_id;
      expect(typeof sessionId).toBe('string');
      expect((sessionId as string).length).toBeGreaterThan(0);
      // A token's sid is at most 128; a caller's own over-long id is derived once past 256.
      const limit = event.properties.$mcp_tool_name === 'finished' ? 256 : 128;
      expect((sessionId as string).length).toBeLessThanOrEqual(limit);
      const handle = event.properties.$mcp_conversation_id;
      if (handle !== undefined)
        expect(handle).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  }, 120_000);
});
