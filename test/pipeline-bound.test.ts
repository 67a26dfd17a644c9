import { describe, expect, it } from 'vitest';
import { boundProperties, jsonByteLength } from '../src/pipeline/bound';
import { MAX_EVENT_BYTES } from '../src/pipeline/limits';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';

const REQUIRED = new Set([
  '$mcp_tool_name',
  '$mcp_is_error',
  '$mcp_duration_ms',
  '$mcp_source',
  '$session_id',
]);
const base = {
  $mcp_tool_name: 'export',
  $mcp_is_error: false,
  $mcp_duration_ms: 12,
  $mcp_source: 'posthog_mcp_analytics',
  $session_id: 'ses_1',
};
const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('jsonByteLength', () => {
  it.each([
    ['an ASCII string', 'abc', 5],
    ['a multi-byte string', 'é😀', 8],
    ['an object', { a: [1, true, null] }, 19],
    ['undefined', undefined, 0],
  ])('measures %s', (_label, value, expected) => {
    expect(jsonByteLength(value)).toBe(expected);
  });
});

describe('boundProperties', () => {
  it('returns an equal copy when the event already fits', () => {
    const properties = { ...base, $mcp_response: { content: [{ type: 'text', text: 'ok' }] } };
    const out = boundProperties(properties, { required: REQUIRED });
    expect(out).toEqual(properties);
    expect(out).not.toBe(properties);
  });

  it('bounds an event carrying a 2 MB response and keeps the required properties', () => {
    const response = sanitizePayload({ content: [{ type: 'text', text: 'x'.repeat(2_000_000) }] });
    const chunks = Array.from({ length: 100 }, () => 'y'.repeat(2_000));
    const properties = { ...base, $mcp_response: { content: chunks }, $mcp_parameters: response };
    const out = boundProperties(properties, { required: REQUIRED });
    expect(bytesOf(out)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(out).toMatchObject(base);
  });

  it('shrinks the response before the parameters and keeps the start of its strings', () => {
    const properties = {
      ...base,
      $mcp_response: { text: 'r'.repeat(900) },
      $mcp_parameters: { q: 'p'.repeat(300) },
    };
    const out = boundProperties(properties, { required: REQUIRED, maxBytes: bytesOf(properties) - 100 });
    expect(out.$mcp_response).toEqual({ text: 'r'.repeat(256) });
    expect(out.$mcp_parameters).toEqual({ q: 'p'.repeat(300) });
  });

  it('drops the response only when its smallest cap still does not fit', () => {
    const response = Array.from({ length: 100 }, (_, index) => index);
    const properties = { ...base, $mcp_response: response, $mcp_parameters: { q: 'p' } };
    const out = boundProperties(properties, { required: REQUIRED, maxBytes: bytesOf(base) + 60 });
    expect(out).toEqual({ ...base, $mcp_parameters: { q: 'p' } });
  });

  it('shrinks other optional properties largest first after the payloads', () => {
    const properties = { ...base, $mcp_tool_description: 'd'.repeat(2_000), $mcp_intent: 'i'.repeat(500) };
    const out = boundProperties(properties, { required: REQUIRED, maxBytes: bytesOf(properties) - 1_000 });
    expect(out.$mcp_tool_description).toBe('d'.repeat(256));
    expect(out.$mcp_intent).toBe('i'.repeat(500));
  });

  it('truncates but never drops the error message', () => {
    const properties = { ...base, $mcp_is_error: true, $mcp_error_message: 'e'.repeat(2_048), extra: 'x' };
    const out = boundProperties(properties, { required: REQUIRED, maxBytes: bytesOf(base) + 100 });
    expect(out.$mcp_error_message).toBe('e'.repeat(64));
    expect(out).not.toHaveProperty('extra');
    expect(bytesOf(out)).toBeLessThanOrEqual(bytesOf(base) + 100);
  });

  it('counts $set and $groups and cuts required strings only as a last resort', () => {
    const properties = { ...base, $mcp_tool_name: 't'.repeat(5_000), $set: { plan: 'p'.repeat(500) } };
    const out = boundProperties(properties, { required: REQUIRED, maxBytes: 1_000 });
    expect(out).not.toHaveProperty('$set');
    expect(out.$mcp_tool_name).toBe('t'.repeat(256));
    expect(out.$session_id).toBe('ses_1');
  });

  it('keeps a prototype-pollution key as plain data', () => {
    const properties = JSON.parse('{"__proto__": {"polluted": true}, "$session_id": "s"}');
    const out = boundProperties(properties, { required: REQUIRED });
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
