import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundProperties } from '../src/pipeline/bound';
import {
  MAX_DEPTH,
  MAX_ENTRIES,
  MAX_EVENT_BYTES,
  MAX_KEY_CHARS,
  MAX_PAYLOAD_STRING_CHARS,
} from '../src/pipeline/limits';
import { replaceMediaBlocks } from '../src/pipeline/media';
import { redactPersonalData, redactSecrets } from '../src/pipeline/redact';
import { sanitizeText } from '../src/pipeline/sanitize';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';

const TEN_MB = 'z'.repeat(10_000_000);
const throwing = (): never => {
  throw new Error('hostile');
};

const hostileBuilders: (() => unknown)[] = [
  () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    cycle.list = [cycle, { back: cycle }];
    return cycle;
  },
  () => Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get: throwing }),
  () => new Proxy({}, { get: throwing, ownKeys: throwing, getPrototypeOf: throwing, has: throwing }),
  () => new Proxy([1, 2], { get: throwing }),
  () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    return revocable.proxy;
  },
  () => ({ big: 10n ** 40n, sym: Symbol('s'), [Symbol('key')]: 1, fn: () => 1 }),
  () => {
    const holes: unknown[] = [];
    holes.length = 1_000_000;
    return holes;
  },
  () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  () => ({ huge: TEN_MB, [TEN_MB.slice(0, 5_000)]: 'long key' }),
  () => ['\uD800', 'a\uDC00b', '😀'.repeat(20_000)],
  () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 1_000; level++) deep = [deep];
    return deep;
  },
  () => ({ toJSON: throwing }),
  () => {
    const selfish = { toJSON: () => selfish };
    return selfish;
  },
  () => {
    const endless = (): unknown => ({ toJSON: endless });
    return endless();
  },
  () =>
    new Map<unknown, unknown>([
      [{ toString: throwing }, 1],
      [Symbol('k'), 2],
    ]),
  () => Object.assign(new Error('boom'), { name: 42 }),
  () => [new Date(Number.NaN), Number.NaN, Number.NEGATIVE_INFINITY, -0, Buffer.alloc(4)],
];

// Values are built inside each run, because fast-check itself would trip over a hostile proxy.
type Build = () => unknown;
const hostile = fc.constantFrom(...hostileBuilders);
const anyValue = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});
const single: fc.Arbitrary<Build> = fc.oneof(
  anyValue.map((value) => () => value),
  hostile,
);
const input: fc.Arbitrary<Build> = fc.oneof(
  single,
  fc.array(single, { maxLength: 5 }).map((builds) => () => builds.map((build) => build())),
);
const anyUnitString = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
});

// Markers and placeholders stand in for a value whole, so they may exceed a tiny string limit.
const isMarker = (value: string): boolean =>
  /^\[[a-z][a-z0-9 -]*\]$/.test(value) || value.startsWith('[bigint ');

function isWithinLimits(value: unknown, maxStringChars: number, depth = 0): boolean {
  if (typeof value === 'string') return value.length <= maxStringChars || isMarker(value);
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_ENTRIES &&
    entries.every(
      ([key, item]) => key.length <= MAX_KEY_CHARS && isWithinLimits(item, maxStringChars, depth + 1),
    )
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const isPrototypeClean = (): boolean =>
  !('polluted' in Object.prototype) && ({} as Record<string, unknown>).polluted === undefined;

describe('pipeline properties', () => {
  it('sanitizePayload turns any input into re-parsable JSON within the limits', () => {
    fc.assert(
      fc.property(
        input,
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        (value, maxStringChars) => {
          const options = maxStringChars === undefined ? {} : { maxStringChars };
          const out = sanitizePayload(value, options);
          const json = JSON.stringify(out);
          if (json !== undefined) expect(JSON.stringify(JSON.parse(json))).toBe(json);
          expect(isWithinLimits(out, maxStringChars ?? MAX_PAYLOAD_STRING_CHARS)).toBe(true);
          expect(isPrototypeClean()).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sanitizePayload never returns or changes the input object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const before = JSON.stringify(value);
        const out = sanitizePayload(value);
        if (typeof value === 'object' && value !== null) expect(out).not.toBe(value);
        expect(JSON.stringify(value)).toBe(before);
      }),
    );
  });

  it('replaceMediaBlocks never throws and feeds sanitizePayload', () => {
    const block: fc.Arbitrary<Build> = fc.oneof(
      single,
      fc
        .record({ type: fc.constantFrom('image', 'audio', 'text', 'resource'), resource: anyValue })
        .map((value) => () => value),
      hostile.map((build) => () => ({ type: 'resource', resource: build() })),
    );
    const result: fc.Arbitrary<Build> = fc.oneof(
      input,
      fc.array(block, { maxLength: 5 }).map((builds) => () => ({ content: builds.map((build) => build()) })),
    );
    fc.assert(
      fc.property(result, (build) => {
        expect(() => JSON.stringify(sanitizePayload(replaceMediaBlocks(build())))).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('sanitizeText stays within its limit and always serializes to well-formed JSON', () => {
    fc.assert(
      fc.property(anyUnitString, fc.integer({ min: 0, max: 64 }), fc.boolean(), (text, limit, freeText) => {
        const out = sanitizeText(text, limit, { freeText });
        expect(out.length).toBeLessThanOrEqual(Math.max(limit, 66));
        expect(out).not.toMatch(LONE_SURROGATE);
        expect(JSON.parse(JSON.stringify(out))).toBe(out);
      }),
    );
  });

  it('a PostHog token surrounded by any text never survives', () => {
    const token = fc
      .tuple(fc.constantFrom('c', 'x', 'e'), fc.stringMatching(/^[A-Za-z0-9_-]{20,40}$/))
      .map(([letter, body]) => `ph${letter}_${body}`);
    fc.assert(
      fc.property(fc.string(), token, fc.string(), (before, secret, after) => {
        expect(redactSecrets(`${before} ${secret} ${after}`)).not.toContain(secret);
      }),
    );
  });

  it('UUIDs and commit SHAs are never redacted', () => {
    const id = fc.oneof(fc.uuid(), fc.stringMatching(/^[0-9a-f]{40}$/), fc.stringMatching(/^[0-9a-f]{64}$/));
    fc.assert(
      fc.property(id, (value) => {
        const text = `id ${value} ok`;
        expect(redactPersonalData(redactSecrets(text))).toBe(text);
      }),
    );
  });

  it('boundProperties keeps every event within the byte bound and keeps the required keys', () => {
    const bigString = fc
      .tuple(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 40_000 }))
      .map(([unit, count]) => (unit || 'é').repeat(count));
    const payload = fc.array(fc.oneof(bigString, fc.dictionary(fc.string(), bigString, { maxKeys: 5 })), {
      maxLength: 20,
    });
    const extras = fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(bigString, anyValue), { maxKeys: 8 });
    fc.assert(
      fc.property(payload, payload, extras, bigString, (response, parameters, extra, message) => {
        const required = new Set(['$session_id', '$mcp_tool_name']);
        const properties = sanitizePayload({
          ...extra,
          $mcp_response: response,
          $mcp_parameters: parameters,
          $mcp_error_message: message.slice(0, 2_048),
          $set: { plan: message.slice(0, 500) },
          $session_id: 'ses_1',
          $mcp_tool_name: 'tool',
        }) as Record<string, unknown>;
        const out = boundProperties(properties, { required });
        expect(Buffer.byteLength(JSON.stringify(out), 'utf8')).toBeLessThanOrEqual(MAX_EVENT_BYTES);
        expect(out.$session_id).toBe('ses_1');
        expect(out.$mcp_tool_name).toBe('tool');
        expect(out).toHaveProperty('$mcp_error_message');
        expect(isPrototypeClean()).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
