import { describe, expect, it } from 'vitest';
import type { PreparedToolCall, ToolDescriptor } from '../src/index';
import { createStamp } from '../src/tools/call-stamp';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const tool: ToolDescriptor = { name: 'deploy', inputSchema: { type: 'object', properties: {} } };
const done = { content: [{ type: 'text', text: 'deployed' }] };
const calls = () => wire.server.eventsNamed('$mcp_tool_call');

/** Objects that look like a prepared call but are not the one this client handed out. */
const lookalikes: [string, (call: PreparedToolCall) => unknown][] = [
  ['a spread copy', (call) => ({ ...call })],
  ['a JSON round trip', (call) => JSON.parse(JSON.stringify(call))],
  ['a structuredClone', (call) => structuredClone(call)],
  ['Object.assign onto a fresh object', (call) => Object.assign({}, call)],
  ['an object with the call as prototype', (call) => Object.create(call)],
  ['a proxy of the call', (call) => new Proxy(call, {})],
];

describe('the prepared call handed to the host', () => {
  it('is a plain object: prototype, own keys and symbols are those of its members alone', async () => {
    const posthog = wire.client();
    const call = posthog.prepareToolCall('deploy', { a: 1 }, { tool, session: 's' });
    expect(Object.getPrototypeOf(call)).toBe(Object.prototype);
    expect(Object.getOwnPropertySymbols(call)).toEqual([]);
    expect(Object.keys(call).sort()).toEqual(
      ['args', 'isFeedback', 'isMissingCapability', 'isUnknownTool', 'sessionId', 'toolName'].sort(),
    );
    expect(structuredClone(call)).toStrictEqual({ ...call });
    posthog.completeToolCall(call, { result: done });
    await posthog.shutdown();
    expect(calls()).toHaveLength(1);
  });

  it.each(lookalikes)(
    '%s completes nothing and returns its result; the original still completes once',
    async (_, copy) => {
      const posthog = wire.client();
      const call = posthog.prepareToolCall('deploy', {}, { tool, session: 's' });
      const other = { content: [{ type: 'text', text: 'other' }] };
      expect(posthog.completeToolCall(copy(call) as PreparedToolCall, { result: other })).toBe(other);
      posthog.completeToolCall(call, { result: done });
      posthog.completeToolCall(call, { result: done });
      await posthog.shutdown();
      expect(calls()).toHaveLength(1);
    },
  );

  it("another client's call is not completed by this client, and both still complete on their own", async () => {
    const first = wire.client();
    const second = wire.client();
    const a = first.prepareToolCall('deploy', {}, { tool, session: 's1' });
    const b = second.prepareToolCall('deploy', {}, { tool, session: 's2' });
    second.completeToolCall(a, { result: done });
    first.completeToolCall(b, { result: done });
    await Promise.all([first.flush(), second.flush()]);
    expect(calls()).toHaveLength(0);
    first.completeToolCall(a, { result: done });
    second.completeToolCall(b, { result: done });
    await Promise.all([first.shutdown(), second.shutdown()]);
    const sessions = calls().map((event) => event.properties.$session_id);
    expect(sessions.sort()).toEqual([a.sessionId, b.sessionId].sort());
    expect(a.sessionId).not.toBe(b.sessionId);
  });

  it.each([null, undefined, 0, 'call', Symbol('call'), () => {}, Object.freeze({}), new Proxy({}, {})])(
    'completing %s never throws and sends nothing',
    async (value) => {
      const posthog = wire.client();
      expect(() => posthog.completeToolCall(value as never, { result: done })).not.toThrow();
      await posthog.shutdown();
      expect(calls()).toHaveLength(0);
    },
  );
});

describe('createStamp', () => {
  it('reads only what it attached; another stamp reads nothing from the same object', () => {
    const one = createStamp<number>();
    const two = createStamp<number>();
    const target = { a: 1 };
    one.attach(target, 7);
    expect(one.read(target)).toBe(7);
    expect(two.read(target)).toBeUndefined();
    expect(one.read({ ...target })).toBeUndefined();
    expect(one.read(null)).toBeUndefined();
    expect(one.read('x')).toBeUndefined();
    expect(Object.keys(target)).toEqual(['a']);
  });
});
