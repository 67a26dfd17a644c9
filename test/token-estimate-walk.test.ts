import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RawSizes, rawStringBytes } from '../src/pipeline/raw-size';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';
import { estimateJsonBytes, estimateTokens } from '../src/token-estimate';
import { useIngestionServer } from './helpers/wire';

/**
 * The token estimates of a call are taken on the way by the walks that sanitize its arguments and result, when they
 * read them whole; they must equal `estimateTokens` over the raw values, whatever the payload.
 */
const wire = useIngestionServer();

const wide = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
const deep = (levels: number): unknown => (levels === 0 ? 'leaf' : { next: deep(levels - 1), n: levels });
const shared = { id: 'cus_1', name: 'Ann' };
const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
const throwing = Object.defineProperty({ a: 1 }, 'b', {
  enumerable: true,
  get: () => {
    throw new Error('getter');
  },
});
const text = (value: string) => ({ type: 'text', text: value });

/** Payloads the walk reads whole, and payloads it cuts, replaces or reads differently from the estimate. */
const PAYLOADS: Record<string, unknown> = {
  'plain records': { items: [{ id: 'inv_1', amount: 12.5, late: true, note: null }], total: 1 },
  'non-ASCII strings and keys': {
    ключ: 'héllo wörld',
    '😀': '日本語のテキスト'.repeat(9),
    e: 'é'.repeat(40),
  },
  'lone surrogates': { a: '\ud800', b: 'x\udc00y', c: '\ud83d'.repeat(50), 'k\ud800': 1 },
  'skipped members': { f: () => 1, s: Symbol('s'), u: undefined, kept: 'yes' },
  'array holes and odd items': [1, undefined, () => 2, Symbol('x'), null, Number.NaN, -0, 1e21, 2 ** 60],
  'a shared subtree': { a: shared, b: shared, c: [shared] },
  'a cycle': cyclic,
  'an array over 100 items': Array.from({ length: 150 }, (_, i) => i),
  'an object over 100 keys': wide(130),
  'a wide object under 100 keys': wide(80),
  'nesting deeper than the walk copies': deep(14),
  'a secret-named key': { password: 'hunter2', user: 'ann' },
  'a throwing getter': throwing,
  'a date, a map and a set': { at: new Date(0), m: new Map([['a', 1]]), s: new Set([1, 2]) },
  'a toJSON': { toJSON: () => ({ replaced: true }), kept: 'x' },
  'a null-prototype object': Object.assign(Object.create(null), { a: 'b', c: [1, 2] }),
  'a string over 64 KB': { text: 'abc é '.repeat(20_000) },
  'a long secret-looking string': { note: `token sk-${'A1b2C3d4'.repeat(8)} inside` },
  'a result with an image block': {
    content: [text('see'), { type: 'image', data: 'AAAA', mimeType: 'image/png' }],
  },
  'a result with 120 blocks': { content: Array.from({ length: 120 }, (_, i) => text(`block ${i}`)) },
  'a result without content': { structuredContent: { rows: [[1, 'a']] }, isError: false },
  'a result whose content is not an array': { content: { type: 'text', text: 'odd' } },
  'a string result': 'just text',
  'an array result': [text('a'), text('b')],
};

/** A result holding the payload, so arguments and result are distinct objects. */
const resultOf = (payload: unknown) => ({ content: [text('rows')], structuredContent: payload });

async function estimatesOf(payloads: readonly unknown[]): Promise<Array<Record<string, unknown>>> {
  const client = wire.client();
  payloads.forEach((payload, index) => {
    const response = index % 2 === 0 ? resultOf(payload) : payload;
    client.captureToolCall({ toolName: `tool_${index}`, parameters: payload, response, durationMs: 1 });
  });
  await client.shutdown();
  const calls = wire.server.eventsNamed('$mcp_tool_call');
  return payloads.map((_, index) => {
    const call = calls.find((event) => event.properties.$mcp_tool_name === `tool_${index}`);
    return call?.properties ?? {};
  });
}

describe('token estimates taken by the payload walks', () => {
  it.each(Object.entries(PAYLOADS))(
    'equal estimateTokens of the raw arguments and result: %s',
    async (_, payload) => {
      const [wrapped, same] = await estimatesOf([payload, payload]);
      expect(wrapped?.$mcp_input_tokens_est).toBe(estimateTokens(payload));
      expect(wrapped?.$mcp_output_tokens_est).toBe(estimateTokens(resultOf(payload)));
      expect(same?.$mcp_input_tokens_est).toBe(estimateTokens(payload));
      expect(same?.$mcp_output_tokens_est).toBe(estimateTokens(payload));
    },
  );

  it.each(Object.entries(PAYLOADS))(
    'are estimateJsonBytes exactly when the walk records them: %s',
    (_, payload) => {
      const sizes = new RawSizes([payload]);
      sanitizePayload({ wrapper: [payload] }, { sizes });
      const recorded = sizes.bytesOf(payload);
      if (recorded !== undefined) expect(recorded).toBe(estimateJsonBytes(payload));
    },
  );

  it('records the sizes of payloads it reads whole, and only of the wanted objects', () => {
    const payload = PAYLOADS['non-ASCII strings and keys'] as object;
    const other = { a: 1 };
    const sizes = new RawSizes([payload]);
    sanitizePayload({ payload, other }, { sizes });
    expect(sizes.bytesOf(payload)).toBe(estimateJsonBytes(payload));
    expect(sizes.bytesOf(other)).toBeUndefined();
    const shared = new RawSizes([PAYLOADS['a shared subtree']]);
    sanitizePayload(PAYLOADS['a shared subtree'], { sizes: shared });
    expect(shared.bytesOf(PAYLOADS['a shared subtree'])).toBeUndefined();
  });

  it('equal estimateTokens for generated JSON-like arguments and results', async () => {
    const payloads = fc.sample(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }), {
      numRuns: 150,
      seed: 7,
    });
    const sent = await estimatesOf(payloads);
    payloads.forEach((payload, index) => {
      expect(sent[index]?.$mcp_input_tokens_est).toBe(estimateTokens(payload));
      const response = index % 2 === 0 ? resultOf(payload) : payload;
      expect(sent[index]?.$mcp_output_tokens_est).toBe(estimateTokens(response));
    });
  });

  it('counts a string as its UTF-8 bytes and quotes, lone surrogates at three bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        expect(rawStringBytes(value)).toBe(Buffer.byteLength(value, 'utf8') + 2);
      }),
      { numRuns: 2_000, seed: 11 },
    );
  });
});
