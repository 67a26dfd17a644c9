import { describe, expect, it } from 'vitest';
import { PROP } from '../src/events';
import type { PostHogMCPOptions } from '../src/index';
import { sanitizeProperty } from '../src/pipeline/build-properties';
import { jsonByteLength, jsonBytesAtMost } from '../src/pipeline/json-size';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';
import type { IngestedEvent } from './helpers/ingestion-server';
import { HAZARD_CHARS, pick as pickFrom, seededRandom } from './helpers/seeded';
import { useIngestionServer } from './helpers/wire';

/**
 * A sanitized payload remembers an upper bound on its JSON size, so the wire bound need not walk it again. The
 * bound must hold for every payload the walk can build, and it must never be trusted once a hook could have
 * edited the payload.
 */
const MAX_EVENT_BYTES = 102_400;

function payload(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => pickFrom(next, list);
  const kind = Math.floor(next() * (depth > 4 ? 4 : 11));
  const text = (): string =>
    Array.from({ length: Math.floor(next() * 300) }, () => pick(HAZARD_CHARS)).join('');
  const size = Math.floor(next() * 6);
  switch (kind) {
    case 0:
      return text();
    case 1:
      return pick([0, -1.7976931348623157e308, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, 10n]);
    case 2:
      return pick([undefined, null, true, false, () => 1, Symbol('s')]);
    case 3:
      return pick([new Date(0), new Date(Number.NaN), new Uint8Array(8), new ArrayBuffer(4)]);
    case 4:
      return Array.from({ length: size }, () => payload(next, depth + 1));
    case 5:
      return new Map(
        Array.from({ length: size }, (_, i) => [i % 2 ? '__proto__' : text(), payload(next, depth + 1)]),
      );
    case 6:
      return new Set(Array.from({ length: size }, () => payload(next, depth + 1)));
    case 7:
      return Object.assign(new RangeError(text()), { name: text() });
    case 8:
      return { toJSON: () => payload(next, depth + 1) };
    default: {
      const record: Record<string, unknown> = next() < 0.3 ? Object.create(null) : {};
      for (let i = 0; i < size; i++) record[`${text().slice(0, 20)}${i}`] = payload(next, depth + 1);
      if (next() < 0.2) record.self = record;
      return record;
    }
  }
}

describe('the size bound a sanitized payload remembers', () => {
  it('is at least its JSON size, for 2,000 seeded payloads of every kind the walk copies', () => {
    for (let seed = 1; seed <= 2_000; seed++) {
      const copy = sanitizePayload(payload(seededRandom(seed), 0), { remember: true });
      const exact = jsonByteLength(copy);
      const bound = jsonBytesAtMost(copy, Number.MAX_SAFE_INTEGER, { remembered: true });
      expect(bound, `seed ${seed}`).toBeGreaterThanOrEqual(exact);
    }
  });

  it('holds for the listed tools and name lists an event builds, whatever the listing held', () => {
    const keys = [PROP.listedTools, PROP.listedToolNames, PROP.listedResourceNames, PROP.inputRequestMethods];
    for (let seed = 1; seed <= 500; seed++) {
      const next = seededRandom(seed);
      const text = (): string =>
        Array.from({ length: Math.floor(next() * 200) }, () => pickFrom(next, HAZARD_CHARS)).join('');
      const odd = (): unknown => pickFrom(next, [text(), 7, Number.NaN, null, undefined, {}, ['x'], 10n]);
      const count = Math.floor(next() * 120);
      const tools = Array.from({ length: count }, () =>
        next() < 0.1
          ? odd()
          : {
              name: next() < 0.8 ? text() : odd(),
              description_tokens_est: pickFrom(next, [
                12,
                -1.5e308,
                Number.NaN,
                Number.POSITIVE_INFINITY,
                '9',
              ]),
              schema_tokens_est: next() < 0.5 ? 40 : undefined,
              schema_hash: next() < 0.7 ? text() : odd(),
            },
      );
      const names = Array.from({ length: count * 3 }, () => (next() < 0.8 ? text() : odd()));
      for (const key of keys) {
        const built = sanitizeProperty(key, key === PROP.listedTools ? tools : names, true);
        const bound = jsonBytesAtMost(built, Number.MAX_SAFE_INTEGER, { remembered: true });
        expect(bound, `seed ${seed} ${key}`).toBeGreaterThanOrEqual(jsonByteLength(built));
        // Remembered: the bound is known without walking the entries again.
        expect(bound).toBeLessThan(Number.POSITIVE_INFINITY);
      }
    }
  });

  it('stays within a small factor of the JSON size on ordinary data, so a typical event needs no serialization', () => {
    const records = Array.from({ length: 30 }, (_, i) => ({
      id: `inv_${i}`,
      memo: 'the quick report lists open invoices for the north region '.repeat(4),
      amount: { value: 1200 + i, currency: 'EUR' },
    }));
    const copy = sanitizePayload({ items: records }, { remember: true });
    const bound = jsonBytesAtMost(copy, Number.MAX_SAFE_INTEGER, { remembered: true });
    expect(bound).toBeLessThanOrEqual(6 * jsonByteLength(copy));
  });
});

describe('the wire bound after a hook edits a payload in place', () => {
  const wire = useIngestionServer();
  const huge = 'x'.repeat(400_000);
  const grow = (properties: Record<string, unknown> | undefined): void => {
    const response = properties?.$mcp_response as { content?: { text?: string }[] } | undefined;
    const block = response?.content?.[0];
    if (block) block.text = huge;
    const parameters = properties?.$mcp_parameters as Record<string, unknown> | undefined;
    if (parameters) parameters.query = huge;
  };

  const HOOKS: [string, Partial<PostHogMCPOptions>][] = [
    [
      'beforeSend',
      {
        beforeSend: (event) => {
          grow(event.properties as Record<string, unknown>);
          return event;
        },
      },
    ],
    [
      "posthog-node's before_send",
      {
        before_send: (event) => {
          if (event?.event === '$mcp_tool_call') grow(event.properties as Record<string, unknown>);
          return event;
        },
      },
    ],
  ];

  it.each(HOOKS)('%s: the grown event is bounded as sent', async (_, options) => {
    const client = wire.client(options);
    client.captureToolCall({
      toolName: 'search',
      parameters: { query: 'invoices' },
      response: { content: [{ type: 'text', text: 'short' }] },
      durationMs: 3,
    });
    await client.shutdown();
    const calls: IngestedEvent[] = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls).toHaveLength(1);
    const bytes = Buffer.byteLength(JSON.stringify(calls[0]!.properties), 'utf8');
    expect(bytes).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(calls[0]!.properties.$mcp_tool_name).toBe('search');
  });

  it('without hooks, a response whose remembered bound passes the limit is still sent whole when it fits', async () => {
    const client = wire.client();
    // 40 short control-character strings: each is counted at six bytes a unit, yet the JSON is small.
    const text = '\u0001'.repeat(60);
    client.captureToolCall({
      toolName: 'search',
      response: { content: Array.from({ length: 40 }, () => ({ type: 'text', text })) },
      durationMs: 3,
    });
    await client.shutdown();
    const calls = wire.server.eventsNamed('$mcp_tool_call');
    expect(calls).toHaveLength(1);
    const properties = calls[0]?.properties ?? {};
    const response = properties.$mcp_response as { content: { text: string }[] };
    expect(response.content).toHaveLength(40);
    expect(Buffer.byteLength(JSON.stringify(properties), 'utf8')).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });
});
