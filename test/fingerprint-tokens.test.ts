import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { route, TOOLS } from '../examples/router-middleware';
import type { ToolDescriptor } from '../src/index';
import { estimateJsonBytes, estimateTokens, MAX_ESTIMATE_NODES } from '../src/token-estimate';
import { ToolFingerprints, toolSchemaHash } from '../src/tools/tool-fingerprint';
import { useIngestionServer } from './helpers/wire';

const tool = (description: string): ToolDescriptor => ({
  name: 'search',
  description,
  inputSchema: { type: 'object', properties: { q: { type: 'string' }, limit: { type: 'integer' } } },
});

describe('the tool schema hash', () => {
  it('does not depend on key order at any level', () => {
    const reordered: ToolDescriptor = {
      inputSchema: { properties: { limit: { type: 'integer' }, q: { type: 'string' } }, type: 'object' },
      description: 'Search',
      name: 'search',
    };
    expect(toolSchemaHash(reordered)).toBe(toolSchemaHash(tool('Search')));
    expect(toolSchemaHash(tool('Search'))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when the description or the schema changes, and ignores the rest of the descriptor', () => {
    const base = toolSchemaHash(tool('Search'));
    expect(toolSchemaHash(tool('Search the docs'))).not.toBe(base);
    expect(toolSchemaHash({ ...tool('Search'), inputSchema: { type: 'object' } })).not.toBe(base);
    expect(toolSchemaHash({ ...tool('Search'), name: 'other', _meta: { category: 'x' } })).toBe(base);
  });

  it('is cached per descriptor object on each instance', () => {
    const fingerprints = new ToolFingerprints();
    const descriptor = tool('Search');
    const first = fingerprints.hashOf(descriptor);
    descriptor.description = 'mutated in place';
    expect(fingerprints.hashOf(descriptor)).toBe(first);
    expect(new ToolFingerprints().hashOf(descriptor)).toBe(toolSchemaHash(tool('mutated in place')));
  });
});

describe('the token estimate', () => {
  it.each([
    [{}, 2],
    [{ a: 1 }, 7],
    [['x', null, true, false], 21],
    [{ text: 'héllo 😀' }, Buffer.byteLength(JSON.stringify({ text: 'héllo 😀' }))],
    [{ skipped: undefined, kept: 1 }, Buffer.byteLength('{"kept":1}')],
  ])('measures %j as the UTF-8 size of its JSON', (value, bytes) => {
    expect(estimateJsonBytes(value)).toBe(bytes);
  });

  it('matches the JSON size for any escape-free JSON value, and is ceil(bytes / 4) tokens', () => {
    const plain = fc.stringMatching(/^[a-z éü😀]{0,20}$/u);
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        plain,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(plain, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const bytes = Buffer.byteLength(JSON.stringify(value));
        expect(estimateJsonBytes(value)).toBe(bytes);
        expect(estimateTokens(value)).toBe(Math.ceil(bytes / 4));
      }),
    );
  });

  it('bounds its work on cycles, huge arrays and long strings', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    expect(estimateTokens(cycle)).toBeGreaterThan(0);
    const huge = Array.from({ length: MAX_ESTIMATE_NODES * 5 }, () => 1);
    expect(estimateJsonBytes(huge)).toBeLessThan(huge.length * 2 + 2);
    const long = 'a'.repeat(1_000_000);
    expect(estimateJsonBytes(long)).toBe(1_000_002);
    expect(estimateTokens(undefined)).toBeUndefined();
  });
});

describe('fingerprints and token estimates on the wire', () => {
  const wire = useIngestionServer();

  it('sends the schema hash and the token estimates of the arguments and result on $mcp_tool_call', async () => {
    const posthog = wire.client();
    const handle = posthog.instrumentRouter(route, { tools: () => TOOLS });
    const args = { query: 'feature flags', context: 'find docs', llm_model: 'model-a' };
    handle(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: args } },
      0,
    );
    await posthog.shutdown();
    const [call] = wire.server.eventsNamed('$mcp_tool_call');
    const result = route({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'search_docs', arguments: args },
    });
    expect(call?.properties).toMatchObject({
      $mcp_tool_schema_hash: toolSchemaHash(TOOLS[0] as ToolDescriptor),
      $mcp_input_tokens_est: Math.ceil(Buffer.byteLength(JSON.stringify({ query: 'feature flags' })) / 4),
      $mcp_output_tokens_est: Math.ceil(Buffer.byteLength(JSON.stringify(result?.result)) / 4),
    });
  });
});
