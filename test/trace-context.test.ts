import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import { parseTraceparent } from '../src/request/trace-context';
import { useIngestionServer } from './helpers/wire';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('parseTraceparent', () => {
  it.each([
    [TRACEPARENT, { traceId: TRACE_ID, parentSpanId: SPAN_ID }],
    [`  00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-00 `, { traceId: TRACE_ID, parentSpanId: SPAN_ID }],
    [`01-${TRACE_ID}-${SPAN_ID}-01-future-fields`, { traceId: TRACE_ID, parentSpanId: SPAN_ID }],
  ])('reads %j', (input, expected) => {
    expect(parseTraceparent(input)).toEqual(expected);
  });

  it.each([
    ['not-a-traceparent'],
    [`00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    [`00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    [`ff-${TRACE_ID}-${SPAN_ID}-01`],
    [`00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    [`00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    [`00-${TRACE_ID}-${SPAN_ID}-01${'x'.repeat(600)}`],
    [42],
    [undefined],
  ])('ignores the malformed %j', (input) => {
    expect(parseTraceparent(input)).toBeUndefined();
  });
});

describe('trace context on the wire', () => {
  const wire = useIngestionServer();

  const call = (id: number, name: string, args: Record<string, unknown>, meta: Record<string, unknown>) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, _meta: meta },
  });

  it('sends no trace properties when a call carries no traceparent', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    handle(call(1, 'divide', { a: 1, b: 0 }, {}), 0);
    handle(call(2, 'divide', { a: 4, b: 2 }, { tracestate: 'vendor=abc' }), 0);
    await posthog.shutdown();
    const events = [...wire.server.eventsNamed('$mcp_tool_call'), ...wire.server.eventsNamed('$exception')];
    expect(events).toHaveLength(3);
    for (const event of events) expect(event.properties.$trace_id).toBeUndefined();
  });

  it('reads _meta.traceparent and tracestate into $trace_id and $span_id on the call and its $exception', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    handle(call(1, 'divide', { a: 1, b: 0 }, { traceparent: TRACEPARENT, tracestate: 'vendor=abc' }), 0);
    handle(call(2, 'divide', { a: 4, b: 2 }, { traceparent: `00-${TRACE_ID}-zz-01` }), 0);
    await posthog.shutdown();
    const [failed, ok] = wire.server.eventsNamed('$mcp_tool_call');
    const [exception] = wire.server.eventsNamed('$exception');
    for (const event of [failed, exception]) {
      expect(event?.properties).toMatchObject({ $trace_id: TRACE_ID, $span_id: SPAN_ID });
    }
    expect(failed?.properties.$mcp_trace_state).toBe('vendor=abc');
    expect(ok?.properties.$trace_id).toBeUndefined();
    expect(ok?.properties.$span_id).toBeUndefined();
  });
});
