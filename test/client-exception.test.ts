import { describe, expect, it } from 'vitest';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire.js';

interface ExceptionEntry {
  type: string;
  value: string;
  mechanism: { type: string; handled: boolean; synthetic: boolean };
  stacktrace?: {
    type: string;
    frames: { filename: string; function: string; lineno: number; in_app: boolean }[];
  };
}

const HANDLE = '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f';

const wire = useIngestionServer();

function only(name: string): IngestedEvent {
  const events = wire.server.eventsNamed(name);
  expect(events).toHaveLength(1);
  return events[0]!;
}

function entriesOf(event: IngestedEvent): ExceptionEntry[] {
  return event.properties.$exception_list as ExceptionEntry[];
}

function failingHandler(): never {
  throw new SyntaxError('unexpected token in query');
}

function thrownBy(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the $exception sibling of a failed call', () => {
  it('a thrown error gives a parsed stack, error level, the mcp source and a handled mechanism', async () => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', conversationId: HANDLE, error: thrownBy(failingHandler) });
    await client.shutdown();

    const call = only('$mcp_tool_call');
    const exception = only('$exception');
    expect(exception.properties).toMatchObject({
      $exception_level: 'error',
      $exception_source: 'mcp.tool_call',
    });
    const [entry] = entriesOf(exception);
    expect(entry).toMatchObject({
      type: 'SyntaxError',
      value: 'unexpected token in query',
      mechanism: { handled: true, synthetic: false },
    });
    const frames = entry?.stacktrace?.frames ?? [];
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.some((frame) => frame.in_app && frame.function.includes('failingHandler'))).toBe(true);
    for (const key of ['$session_id', '$mcp_tool_name', '$mcp_conversation_id', '$mcp_interface']) {
      expect(exception.properties[key]).toBe(call.properties[key]);
    }
    expect(exception.properties.$mcp_conversation_id).toBe(HANDLE);
    expect(exception.distinct_id).toBe(call.distinct_id);
  });

  it('an isError result without a thrown error gives a synthetic Error with the result text', async () => {
    const client = wire.client();
    const response = { isError: true, content: [{ type: 'text', text: 'Rate limit reached' }] };
    client.captureToolCall({ toolName: 'search', isError: true, response });
    await client.shutdown();

    const [entry] = entriesOf(only('$exception'));
    expect(entry).toMatchObject({
      type: 'Error',
      value: 'Rate limit reached',
      mechanism: { handled: true, synthetic: true },
    });
  });

  it('an identified failure carries the identity on the sibling too', async () => {
    const client = wire.client();
    client.captureToolCall({
      toolName: 'search',
      distinctId: 'user-1',
      groups: { org: 'acme' },
      error: new Error('x'),
    });
    await client.shutdown();

    const exception = only('$exception');
    expect(exception.distinct_id).toBe('user-1');
    expect(exception.properties.$groups).toEqual({ org: 'acme' });
    expect(exception.properties).not.toHaveProperty('$process_person_profile');
  });

  it('mcpExceptionAutocapture false sends no $exception while the call keeps its failure', async () => {
    const client = wire.client({ mcpExceptionAutocapture: false });
    client.captureToolCall({ toolName: 'search', error: new Error('boom') });
    await client.shutdown();

    expect(wire.server.eventsNamed('$exception')).toHaveLength(0);
    expect(only('$mcp_tool_call').properties).toMatchObject({
      $mcp_is_error: true,
      $mcp_error_message: 'boom',
    });
  });

  it("the sibling is sent with posthog-node's enableExceptionAutocapture off", async () => {
    const client = wire.client({ enableExceptionAutocapture: false });
    client.captureToolCall({ toolName: 'search', error: new Error('boom') });
    await client.shutdown();

    expect(wire.server.eventsNamed('$exception')).toHaveLength(1);
  });

  it("the sibling is not sent when only posthog-node's enableExceptionAutocapture is on", async () => {
    const client = wire.client({ enableExceptionAutocapture: true, mcpExceptionAutocapture: false });
    client.captureToolCall({ toolName: 'search', error: new Error('boom') });
    await client.shutdown();

    expect(wire.server.eventsNamed('$exception')).toHaveLength(0);
  });

  it('secrets in the error message are redacted in both the call and the sibling', async () => {
    const client = wire.client();
    const password = ['hunter', '2'].join('');
    const token = ['tok', 'abc123'].join('_');
    const message = `upstream https://admin:${password}@api.example.com/v1?token=${token} failed`;
    client.captureToolCall({ toolName: 'search', error: new Error(message) });
    await client.shutdown();

    const call = only('$mcp_tool_call');
    const [entry] = entriesOf(only('$exception'));
    expect(call.properties.$mcp_error_message).toBe(
      'upstream https://[redacted]@api.example.com/v1?token=[redacted] failed',
    );
    expect(entry?.value).toBe(call.properties.$mcp_error_message);
    for (const event of wire.server.events) {
      expect(JSON.stringify(event)).not.toContain(password);
      expect(JSON.stringify(event)).not.toContain(token);
    }
  });
});
