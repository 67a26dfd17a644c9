import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { type MCPEvent, PostHogMCP, type PostHogMCPOptions, type ToolDescriptor } from '../src/index.js';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

/** `aiTracing`: each `$mcp_tool_call` gets an `$ai_span` sibling for PostHog's LLM analytics, on the wire. */

const wire = useIngestionServer();

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;
const MAX_EVENT_BYTES = 102_400;
const tool: ToolDescriptor = {
  name: 'search_docs',
  description: 'Search the documentation.',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } } },
};
const identity = { distinctId: 'user-7', properties: { plan: 'team' }, groups: { company: 'acme' } };
const ok = { content: [{ type: 'text', text: '3 pages match.' }] };

type Path = 'steps' | 'captureToolCall' | 'router';
type Outcome = { result: unknown } | { error: Error } | { result: { isError: true; content: unknown[] } };

const failures: [string, Outcome][] = [
  ['a thrown error', { error: new Error('upstream answered 503') }],
  [
    'an isError result',
    { result: { isError: true, content: [{ type: 'text', text: 'Order A-1 not found' }] } },
  ],
];

/** Sends one `search_docs` call through a path; the router path answers with the example server's result. */
function send(client: PostHogMCP, path: Path, outcome: Outcome, meta: Record<string, unknown> = {}): void {
  const args = { query: 'refund policy, key sk_live_abcdefghijklmnop1234' };
  if (path === 'router') {
    const handle = client.instrumentRouter(route, { tools: () => TOOLS });
    const params = {
      name: 'search_docs',
      arguments: { ...args, context: 'find the refund policy' },
      _meta: meta,
    };
    handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params }, 0);
    return;
  }
  if (path === 'steps') {
    const call = client.prepareToolCall('search_docs', args, {
      tool,
      meta,
      identity,
      session: 'mcp-session-1',
    });
    client.completeToolCall(call, outcome);
    return;
  }
  const { result, error } = outcome as { result?: unknown; error?: Error };
  client.captureToolCall({
    toolName: 'search_docs',
    tool,
    arguments: args,
    meta,
    identity,
    session: 'mcp-session-1',
    durationMs: 1_250,
    ...(result === undefined ? {} : { response: result }),
    ...(error === undefined ? {} : { error }),
  });
}

async function sent(options: Partial<PostHogMCPOptions>, run: (client: PostHogMCP) => void) {
  const client = wire.client({ aiTracing: true, ...options });
  run(client);
  await client.shutdown();
  return {
    calls: wire.server.eventsNamed('$mcp_tool_call'),
    spans: wire.server.eventsNamed('$ai_span'),
    exceptions: wire.server.eventsNamed('$exception'),
  };
}

/** What a span shares with its call whatever the path: identity, session, time and the request's properties. */
function expectSpanOfCall(span: IngestedEvent | undefined, call: IngestedEvent | undefined): void {
  const c = call?.properties ?? {};
  expect(span?.distinct_id).toBe(call?.distinct_id);
  expect(span?.timestamp).toBe(call?.timestamp);
  for (const key of ['$session_id', '$groups', '$set', '$process_person_profile', '$mcp_client_name']) {
    expect(span?.properties[key]).toEqual(c[key]);
  }
  expect(span?.properties).toMatchObject({
    $ai_trace_id: c.$ai_trace_id,
    $ai_span_id: c.$ai_span_id,
    $ai_span_name: 'search_docs',
    $ai_latency: (c.$mcp_duration_ms as number) / 1000,
    $ai_is_error: c.$mcp_is_error,
    $ai_session_id: `posthog_mcp_analytics_${String(c.$session_id)}`,
    $mcp_tool_name: 'search_docs',
  });
  expect(span?.properties.$ai_span_id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  expect(span?.properties.$ai_input_state).toEqual(c.$mcp_parameters);
  expect(span?.properties.$ai_output_state).toEqual(c.$mcp_response);
  expect(span?.properties.$ai_error).toEqual(c.$mcp_is_error ? c.$mcp_error_message : undefined);
}

describe.each(['steps', 'captureToolCall', 'router'] as const)('aiTracing through %s', (path) => {
  it('a success without traceparent: the span is in the session trace, under no parent', async () => {
    const { calls, spans } = await sent({}, (client) => send(client, path, { result: ok }));
    expect(calls).toHaveLength(1);
    expect(spans).toHaveLength(1);
    const [call, span] = [calls[0], spans[0]];
    expectSpanOfCall(span, call);
    expect(call?.properties.$ai_trace_id).toBe(call?.properties.$session_id);
    expect(span?.properties.$ai_is_error).toBe(false);
    expect(span?.properties).not.toHaveProperty('$ai_parent_id');
    expect(span?.properties).not.toHaveProperty('$ai_error');
    expect(JSON.stringify(span?.properties.$ai_input_state)).toContain('refund policy');
    expect(JSON.stringify(span?.properties.$ai_input_state)).not.toContain('sk_live_abcdefghijklmnop1234');
    expect(JSON.stringify(span?.properties.$ai_output_state)).toContain('pages match');
  });

  it("with a valid traceparent: the span joins the caller's trace under the caller's span", async () => {
    const meta = { traceparent: TRACEPARENT };
    const { calls, spans } = await sent({}, (client) => send(client, path, { result: ok }, meta));
    expectSpanOfCall(spans[0], calls[0]);
    for (const event of [calls[0], spans[0]]) {
      expect(event?.properties).toMatchObject({ $ai_trace_id: TRACE_ID, $ai_parent_id: PARENT_ID });
    }
  });

  it('a malformed traceparent falls back to the session trace', async () => {
    const meta = { traceparent: `00-${TRACE_ID}-zz-01` };
    const { calls, spans } = await sent({}, (client) => send(client, path, { result: ok }, meta));
    expect(spans[0]?.properties.$ai_trace_id).toBe(calls[0]?.properties.$session_id);
    expect(spans[0]?.properties).not.toHaveProperty('$ai_parent_id');
  });
});

describe.each(['steps', 'captureToolCall'] as const)('a failed call through %s', (path) => {
  it.each(failures)('on %s: an erroring span beside the call and its $exception', async (_label, outcome) => {
    const { calls, spans, exceptions } = await sent({}, (client) =>
      send(client, path, outcome, { traceparent: TRACEPARENT }),
    );
    expect([calls.length, spans.length, exceptions.length]).toEqual([1, 1, 1]);
    expectSpanOfCall(spans[0], calls[0]);
    expect(spans[0]?.properties).toMatchObject({ $ai_is_error: true, $ai_parent_id: PARENT_ID });
    expect(spans[0]?.properties.$ai_error).toEqual(expect.stringMatching(/503|not found/));
  });
});

describe('the span follows the privacy options', () => {
  it.each(['steps', 'captureToolCall'] as const)(
    "captureParameters 'keys' (%s): the input state is the key list, never a value",
    async (path) => {
      const { calls, spans } = await sent({ captureParameters: 'keys' }, (c) =>
        send(c, path, { result: ok }),
      );
      const keys = calls[0]?.properties.$mcp_input_keys;
      expect(keys).toBeDefined();
      expect(spans[0]?.properties.$ai_input_state).toEqual(keys);
      expect(JSON.stringify(spans[0]?.properties)).not.toContain('refund policy');
    },
  );

  it.each(['steps', 'captureToolCall', 'router'] as const)(
    'captureParameters and captureResponse false (%s): no input or output state',
    async (path) => {
      const options = { captureParameters: false, captureResponse: false } as const;
      const { calls, spans } = await sent(options, (client) => send(client, path, { result: ok }));
      expect(calls[0]?.properties).not.toHaveProperty('$mcp_parameters');
      expect(spans[0]?.properties).not.toHaveProperty('$ai_input_state');
      expect(spans[0]?.properties).not.toHaveProperty('$ai_output_state');
      expect(JSON.stringify(spans[0]?.properties)).not.toMatch(/refund policy|pages match/);
    },
  );

  it('captureResponse false alone keeps the input state and drops the output state', async () => {
    const { spans } = await sent({ captureResponse: false }, (c) => send(c, 'steps', { result: ok }));
    expect(spans[0]?.properties.$ai_input_state).toBeDefined();
    expect(spans[0]?.properties).not.toHaveProperty('$ai_output_state');
  });

  it('without identity the span is anonymous as its call is', async () => {
    const { calls, spans } = await sent({}, (client) => send(client, 'router', { result: ok }));
    expect(spans[0]?.distinct_id).toBe(calls[0]?.properties.$session_id);
    expect(spans[0]?.properties.$process_person_profile).toBe(false);
  });
});

describe('beforeSend and bounds', () => {
  it.each(['steps', 'captureToolCall'] as const)(
    'dropping the call (%s) drops its span and its $exception',
    async (path) => {
      const beforeSend = (event: MCPEvent) => (event.event === '$mcp_tool_call' ? null : event);
      const { calls, spans, exceptions } = await sent({ beforeSend }, (c) => send(c, path, failures[0]![1]));
      expect([calls.length, spans.length, exceptions.length]).toEqual([0, 0, 0]);
    },
  );

  it('dropping only the span keeps the call and its $exception; the hook sees the span', async () => {
    const seen: string[] = [];
    const beforeSend = (event: MCPEvent) => {
      seen.push(event.event);
      return event.event === '$ai_span' ? null : event;
    };
    const { calls, spans, exceptions } = await sent({ beforeSend }, (c) => send(c, 'steps', failures[0]![1]));
    expect([calls.length, spans.length, exceptions.length]).toEqual([1, 0, 1]);
    expect(seen).toEqual(['$mcp_tool_call', '$exception', '$ai_span']);
    expect(calls[0]?.properties.$ai_span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a 1 MB response and 1 MB of arguments keep the call, its span and its $exception within 102,400 bytes', async () => {
    const big = 'x'.repeat(1_048_576);
    const { calls, spans, exceptions } = await sent({}, (client) => {
      client.captureToolCall({
        toolName: 'dump',
        arguments: { blob: big },
        response: { isError: true, content: [{ type: 'text', text: big }] },
        durationMs: 5,
      });
    });
    const events = [...calls, ...spans, ...exceptions];
    expect(events).toHaveLength(3);
    for (const event of events) {
      expect(Buffer.byteLength(JSON.stringify(event.properties), 'utf8')).toBeLessThanOrEqual(
        MAX_EVENT_BYTES,
      );
    }
    expect(spans[0]?.properties).toMatchObject({
      $ai_span_name: 'dump',
      $ai_is_error: true,
      $ai_latency: 0.005,
      $ai_span_id: calls[0]?.properties.$ai_span_id,
    });
  });
});

describe('aiTracing off, ids and validation', () => {
  it.each([
    ['off by default', {}],
    ['off explicitly', { aiTracing: false }],
  ])('%s: no $ai_span and no $ai_* property on any event', async (_label, options) => {
    const client = wire.client(options);
    send(client, 'steps', { result: ok }, { traceparent: TRACEPARENT });
    send(client, 'captureToolCall', failures[0]![1]);
    send(client, 'router', { result: ok });
    await client.shutdown();
    expect(wire.server.events.length).toBeGreaterThanOrEqual(4);
    for (const event of wire.server.events) {
      expect(event.event).not.toBe('$ai_span');
      expect(Object.keys(event.properties).filter((key) => key.startsWith('$ai_'))).toEqual([]);
    }
  });

  it('500 calls get 500 distinct span ids, each on exactly one call and one span, latency in seconds', async () => {
    const { calls, spans } = await sent({}, (client) => {
      for (let i = 0; i < 500; i++) {
        client.captureToolCall({ toolName: 'search_docs', arguments: { i }, durationMs: i * 7 + 0.5 });
      }
    });
    const ids = new Set(calls.map((call) => call.properties.$ai_span_id));
    expect(ids.size).toBe(500);
    expect(new Set(spans.map((span) => span.properties.$ai_span_id))).toEqual(ids);
    const byId = new Map(calls.map((call) => [call.properties.$ai_span_id, call]));
    for (const span of spans) {
      const call = byId.get(span.properties.$ai_span_id);
      expect(span.properties.$ai_latency).toBe((call?.properties.$mcp_duration_ms as number) / 1000);
      expect(span.properties.$ai_input_state).toEqual(call?.properties.$mcp_parameters);
    }
  });

  it.each([['yes'], [1], [null], [{}]])('aiTracing %j throws a TypeError naming it', (value) => {
    const options = { aiTracing: value } as unknown as PostHogMCPOptions;
    expect(() => new PostHogMCP('phc_test', options)).toThrow(TypeError);
    expect(() => new PostHogMCP('phc_test', options)).toThrow('aiTracing');
  });
});
