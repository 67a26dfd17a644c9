import { beforeEach, describe, expect, it } from 'vitest';
import type { PostHogMCP } from '../src/index.js';
import type { IngestedEvent } from './helpers/ingestion-server.js';
import { useIngestionServer } from './helpers/wire';

const BINARY = '[binary data redacted - not supported by PostHog MCP analytics]';
const IMAGE = '[image redacted - not supported by PostHog MCP analytics]';
const AUDIO = '[audio redacted - not supported by PostHog MCP analytics]';
const MAX_EVENT_BYTES = 102_400;

const wire = useIngestionServer();
let client: PostHogMCP;

beforeEach(() => {
  client = wire.client();
});

async function sentCall(): Promise<IngestedEvent> {
  await client.shutdown();
  const calls = wire.server.eventsNamed('$mcp_tool_call');
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

describe('privacy on the wire', () => {
  it('secret keys in arguments are redacted, whatever their case and separator', async () => {
    const parameters = {
      api_key: 'sk-live-1',
      'X-Api-Key': 'sk-live-2',
      nested: { accessToken: 'at-3', Password: 'pw-4', query: 'weather' },
      headers: { authorization: 'Bearer abc', cookie: 'sid=1' },
    };
    client.captureToolCall({ toolName: 'search', parameters });
    const { properties } = await sentCall();
    expect(properties.$mcp_parameters).toEqual({
      api_key: '[redacted]',
      'X-Api-Key': '[redacted]',
      nested: { accessToken: '[redacted]', Password: '[redacted]', query: 'weather' },
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
    });
  });

  it('URL userinfo and secret query fields in an error message are redacted', async () => {
    const message = 'GET https://bob:s3cr3t@api.example.com/items?token=t0k3n&page=2#sig=abcd failed';
    client.captureToolCall({ toolName: 'search', error: new Error(message) });
    const { properties } = await sentCall();
    expect(properties.$mcp_error_message).toBe(
      'GET https://[redacted]@api.example.com/items?token=[redacted]&page=2#sig=[redacted] failed',
    );
  });

  it('a PostHog token anywhere in a string is redacted', async () => {
    const token = `phx_${'A1b2C3d4E5f6G7h8I9j0K'}`;
    client.captureToolCall({ toolName: 'search', parameters: { note: `use ${token} here` } });
    const { properties } = await sentCall();
    expect(JSON.stringify(properties)).not.toContain(token);
    expect(properties.$mcp_parameters).toEqual({ note: 'use [redacted] here' });
  });

  it('a JSON password inside result text is redacted', async () => {
    const text = '{"user": "ada", "password": "hunter2", "ok": true}';
    client.captureToolCall({ toolName: 'login', response: { content: [{ type: 'text', text }] } });
    const { properties } = await sentCall();
    const sentText = (properties.$mcp_response as { content: { text: string }[] }).content[0]?.text;
    expect(sentText).not.toContain('hunter2');
    expect(sentText).toContain('"password": "[redacted]"');
    expect(sentText).toContain('"user": "ada"');
  });

  it('PII in the intent is redacted while the purpose stays', async () => {
    const intent =
      'email ada@example.com from 192.168.1.20 about card 4111 1111 1111 1111, SSN 123-45-6789, call +1 (415) 555-0100';
    client.captureToolCall({ toolName: 'notify', intent });
    const { properties } = await sentCall();
    const sent = properties.$mcp_intent as string;
    for (const secret of [
      'ada@example.com',
      '192.168.1.20',
      '4111 1111 1111 1111',
      '123-45-6789',
      '555-0100',
    ]) {
      expect(sent).not.toContain(secret);
    }
    expect(sent.startsWith('email [redacted] from [redacted] about card [redacted]')).toBe(true);
  });

  it('a base64 blob in arguments becomes the binary placeholder', async () => {
    const blob = Buffer.alloc(12_000, 7).toString('base64');
    client.captureToolCall({
      toolName: 'upload',
      parameters: { file: blob, data_url: `data:image/png;base64,${'iVBORw0KGgo'}` },
    });
    const { properties } = await sentCall();
    expect(properties.$mcp_parameters).toEqual({ file: BINARY, data_url: BINARY });
  });

  it('image, audio and blob blocks in a response become text placeholders', async () => {
    const data = Buffer.alloc(64, 1).toString('base64');
    const response = {
      content: [
        { type: 'image', data, mimeType: 'image/png' },
        { type: 'audio', data, mimeType: 'audio/wav' },
        {
          type: 'resource',
          resource: { uri: 'file:///a.bin', blob: data, mimeType: 'application/octet-stream' },
        },
        { type: 'text', text: 'done' },
      ],
    };
    client.captureToolCall({ toolName: 'render', response });
    const { properties } = await sentCall();
    expect(properties.$mcp_response).toEqual({
      content: [
        { type: 'text', text: IMAGE },
        { type: 'text', text: AUDIO },
        {
          type: 'resource',
          resource: { uri: 'file:///a.bin', blob: BINARY, mimeType: 'application/octet-stream' },
        },
        { type: 'text', text: 'done' },
      ],
    });
  });

  it('a 2 MB response gives one bounded event that keeps every required property', async () => {
    const words = 'lorem ipsum dolor sit amet '.repeat(80_000);
    const response = {
      content: Array.from({ length: 60 }, (_, i) => ({
        type: 'text',
        text: `${i} ${words.slice(0, 35_000)}`,
      })),
    };
    expect(JSON.stringify(response).length).toBeGreaterThan(2_000_000);
    client.captureToolCall({
      toolName: 'dump',
      parameters: { query: 'everything' },
      response,
      error: new Error('too big'),
      durationMs: 5,
    });
    const call = await sentCall();
    const bytes = Buffer.byteLength(JSON.stringify(call.properties), 'utf8');
    expect(bytes).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(call.properties).toMatchObject({
      $mcp_interface: 'mcp',
      $mcp_tool_name: 'dump',
      $mcp_is_error: true,
      $mcp_duration_ms: 5,
      $mcp_source: 'posthog_mcp_analytics',
      $mcp_error_message: 'too big',
    });
    expect(call.properties.$session_id).toMatch(/^ses_/);
  });
});
