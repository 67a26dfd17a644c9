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

/** An object whose getters for the fields the public methods read all throw. */
export function throwingGetters(): object {
  const value = {};
  for (const key of [
    'toolName',
    'error',
    'parameters',
    'response',
    'sessionId',
    'headers',
    'meta',
    'report',
  ]) {
    Object.defineProperty(value, key, { enumerable: true, get: fail });
  }
  return value;
}

/** Values that break naive code, by name; built inside each run so fast-check never inspects them. */
export const HOSTILE_VALUES: readonly [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 42],
  ['a short string', () => 'search'],
  ['an array of a name and a record', () => ['search', { toolName: 'x' }]],
  ['a function', () => () => 'x'],
  ['an object whose every field getter throws', () => throwingGetters()],
  [
    'fields of the wrong types',
    () => ({ toolName: 7, durationMs: 'slow', timestamp: 'now', headers: 5, meta: [] }),
  ],
  [
    'fields holding throwing proxies',
    () => ({
      toolName: 'x',
      parameters: throwingProxy(),
      error: throwingProxy(),
      headers: throwingProxy(),
      meta: throwingProxy(),
      identity: throwingProxy(),
      properties: throwingProxy(),
    }),
  ],
  [
    'fields holding throwing getters',
    () => ({
      toolName: 'x',
      parameters: throwingGetters(),
      response: throwingGetters(),
      report: throwingGetters(),
    }),
  ],
  [
    'a cycle',
    () => {
      const cycle: Record<string, unknown> = { name: 'cycle' };
      cycle.self = cycle;
      cycle.list = [cycle, { back: cycle }];
      return cycle;
    },
  ],
  [
    'a throwing enumerable getter',
    () => Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get: fail }),
  ],
  ['a proxy whose traps throw', () => throwingProxy()],
  ['an array proxy whose traps throw', () => throwingProxy([1, 2, 3])],
  ['a function proxy whose traps throw', () => throwingProxy(() => undefined)],
  [
    'a revoked proxy',
    () => {
      const revocable = Proxy.revocable({}, {});
      revocable.revoke();
      return revocable.proxy;
    },
  ],
  ['a huge bigint', () => 10n ** 40n],
  ['a symbol', () => Symbol('hostile')],
  [
    'an object of bigint, symbol and function members',
    () => ({ big: 10n ** 40n, sym: Symbol('s'), [Symbol('key')]: 1, fn: () => 1 }),
  ],
  ['ten megabytes of text', () => TEN_MB],
  [
    'an object with a ten-megabyte value and a 5,000-character key',
    () => ({ text: TEN_MB, [TEN_MB.slice(0, 5_000)]: 'long key' }),
  ],
  ['lone surrogates in an array', () => ['\uD800', 'a\uDC00b', `${'😀'.repeat(5)}\uD83D`]],
  ['a string of lone surrogates', () => '\uDFFF\uD800 lone'],
  [
    '__proto__ and constructor.prototype keys',
    () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  ],
  [
    '__proto__ keys inside event fields',
    () =>
      JSON.parse(
        '{"distinctId":"x","properties":{"__proto__":{"polluted":true}},"groups":{"__proto__":"p"}}',
      ),
  ],
  [
    'a sparse array of a million holes',
    () => {
      const holes: unknown[] = [];
      holes.length = 1_000_000;
      return holes;
    },
  ],
  [
    '2,000 levels of nesting',
    () => {
      let deep: unknown = 'bottom';
      for (let level = 0; level < 2_000; level++) deep = { deep };
      return deep;
    },
  ],
  ['throwing toJSON, toString and valueOf', () => ({ toJSON: fail, toString: fail, valueOf: fail })],
  // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point
  ['a thenable whose then throws', () => ({ then: fail })],
  [
    'a thenable resolving to a throwing proxy',
    // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point
    () => ({ then: (resolve: (value: unknown) => void) => resolve(throwingProxy()) }),
  ],
  ['an object without a prototype', () => Object.create(null)],
  ['an invalid date', () => new Date(Number.NaN)],
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['negative zero', () => -0],
  ['a map with a throwing key', () => new Map<unknown, unknown>([[{ toString: fail }, 1]])],
  [
    'an error with a non-string name and a throwing message',
    () => Object.assign(new Error('boom'), { name: 42, message: { toString: fail } }),
  ],
  ['a typed array', () => new Uint8Array(1_000)],
  ['a result whose content is a throwing proxy', () => ({ content: throwingProxy([]), isError: true })],
  [
    'a failed result with ten megabytes of text',
    () => ({ content: [{ type: 'text', text: TEN_MB }], isError: true }),
  ],
  ['an object whose get member throws', () => ({ get: fail })],
  ['a connection that is a throwing proxy', () => ({ connection: throwingProxy() })],
  [
    'identity fields holding throwing proxies',
    () => ({ distinctId: throwingProxy(), properties: throwingProxy(), groups: throwingProxy() }),
  ],
];

/** The builders of {@link HOSTILE_VALUES}, by index (what a {@link Recipe} names). */
export const HOSTILE_BUILDERS: readonly (() => unknown)[] = HOSTILE_VALUES.map(([, make]) => make);

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
