import fc from 'fast-check';

/** Ten million characters, built once. */
export const TEN_MB = 'x'.repeat(10_000_000);

const fail = (): never => {
  throw new Error('hostile');
};

/** A proxy whose every trap throws. */
export function throwingProxy(target: object = {}): object {
  return new Proxy(target, {
    get: fail,
    set: fail,
    has: fail,
    ownKeys: fail,
    getOwnPropertyDescriptor: fail,
    getPrototypeOf: fail,
    defineProperty: fail,
    deleteProperty: fail,
    isExtensible: fail,
    preventExtensions: fail,
    setPrototypeOf: fail,
    apply: fail,
    construct: fail,
  });
}

/** Builders of values that break naive code; built inside each run so fast-check never inspects them. */
export const HOSTILE_BUILDERS: readonly (() => unknown)[] = [
  () => {
    const cycle: Record<string, unknown> = { name: 'cycle' };
    cycle.self = cycle;
    cycle.list = [cycle, { back: cycle }];
    return cycle;
  },
  () => Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get: fail }),
  () => throwingProxy(),
  () => throwingProxy([1, 2, 3]),
  () => throwingProxy(() => undefined),
  () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    return revocable.proxy;
  },
  () => 10n ** 40n,
  () => Symbol('hostile'),
  () => ({ big: 10n ** 40n, sym: Symbol('s'), [Symbol('key')]: 1, fn: () => 1 }),
  () => TEN_MB,
  () => ({ text: TEN_MB, [TEN_MB.slice(0, 5_000)]: 'long key' }),
  () => ['\uD800', 'a\uDC00b', `${'😀'.repeat(5)}\uD83D`],
  () => '\uDFFF\uD800 lone',
  () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  () =>
    JSON.parse('{"distinctId":"x","properties":{"__proto__":{"polluted":true}},"groups":{"__proto__":"p"}}'),
  () => {
    const holes: unknown[] = [];
    holes.length = 1_000_000;
    return holes;
  },
  () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 2_000; level++) deep = { deep };
    return deep;
  },
  () => ({ toJSON: fail, toString: fail, valueOf: fail }),
  // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point
  () => ({ then: fail }),
  // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point
  () => ({ then: (resolve: (value: unknown) => void) => resolve(throwingProxy()) }),
  () => Object.create(null),
  () => new Date(Number.NaN),
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => -0,
  () => new Map<unknown, unknown>([[{ toString: fail }, 1]]),
  () => Object.assign(new Error('boom'), { name: 42, message: { toString: fail } }),
  () => new Uint8Array(1_000),
  () => ({ content: throwingProxy([]), isError: true }),
  () => ({ content: [{ type: 'text', text: TEN_MB }], isError: true }),
  () => ({ get: fail }),
  () => ({ connection: throwingProxy() }),
  () => ({ distinctId: throwingProxy(), properties: throwingProxy(), groups: throwingProxy() }),
];

/** A recipe for one argument: a hostile builder's index, or a value fast-check generated. */
export type Recipe = { hostile: number } | { plain: unknown };

/** Arbitrary recipes: hostile builders and fast-check's own `anything`. */
export const recipeArbitrary: fc.Arbitrary<Recipe> = fc.oneof(
  fc.integer({ min: 0, max: HOSTILE_BUILDERS.length - 1 }).map((hostile) => ({ hostile })),
  fc
    .anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    })
    .map((plain) => ({ plain })),
);

/** Materializes a recipe into its value. */
export function build(recipe: Recipe): unknown {
  return 'hostile' in recipe ? HOSTILE_BUILDERS[recipe.hostile]?.() : recipe.plain;
}

/** Field names the public methods read, so hostile values land where code looks. */
export const FIELD_NAMES = [
  'toolName',
  'name',
  'uri',
  'parameters',
  'response',
  'result',
  'error',
  'errorType',
  'errorStatus',
  'isError',
  'durationMs',
  'timestamp',
  'distinctId',
  'sessionId',
  'session',
  'conversationId',
  'identity',
  'setProperties',
  'groups',
  'properties',
  'meta',
  'headers',
  'intent',
  'intentSource',
  'llmModel',
  'llmModelSource',
  'clientName',
  'clientVersion',
  'protocolVersion',
  'context',
  'report',
  'tools',
  'toolNames',
  'names',
  'inputRequestMethods',
  'tool',
  'originalTool',
  'exists',
  'startedAt',
  'endedAt',
  'status',
  'content',
  'inputSchema',
  '_meta',
  'conversation_id',
  'llm_model',
  'feedback_type',
  'summary',
  'details',
  'resultType',
  'inputRequests',
  'io.modelcontextprotocol/aiInvocation',
  'x-codex-turn-metadata',
  'traceparent',
  'user-agent',
] as const;

/** Arbitrary records of hostile recipes under the field names the methods read. */
export const recordArbitrary: fc.Arbitrary<[string, Recipe][]> = fc.array(
  fc.tuple(fc.constantFrom<string>(...FIELD_NAMES), recipeArbitrary),
  { maxLength: 8 },
);

/** Materializes a record recipe; nested records put hostile values one level deeper too. */
export function buildRecord(entries: readonly [string, Recipe][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, recipe] of entries) out[key] = build(recipe);
  return out;
}

/** Whether `Object.prototype` (or `Array.prototype`) gained anything. */
export function isPrototypePolluted(): boolean {
  const probe: Record<string, unknown> = {};
  return (
    probe.polluted !== undefined ||
    Object.keys(Object.prototype).length > 0 ||
    Object.keys(Array.prototype).length > 0 ||
    ([] as unknown as Record<string, unknown>).polluted !== undefined
  );
}
