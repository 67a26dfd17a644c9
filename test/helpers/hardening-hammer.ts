import fc from 'fast-check';
import type { PostHogMCP } from '../../src/client';
import type { PreparedToolCall } from '../../src/tools/call-state';
import {
  build,
  buildRecord,
  FIELD_NAMES,
  type Recipe,
  recipeArbitrary,
  recordArbitrary,
} from './hardening-hostile';

/** The arguments of one round: a hostile value, and two records holding hostile values where the methods look. */
export interface HostileArgs {
  /** The hostile value, passed bare in every argument position. */
  value: unknown;
  /** A plain record whose members are hostile (spread by the table, so never itself hostile). */
  a: Record<string, unknown>;
  /** A second such record. */
  b: Record<string, unknown>;
}

type Invoke = (client: PostHogMCP, args: HostileArgs) => unknown;

const asAny = <T>(value: unknown): T => value as T;

const CAPTURE_METHODS = [
  'captureToolCall',
  'captureInitialize',
  'captureToolsList',
  'captureMissingCapability',
  'captureFeedback',
  'captureUnknownTool',
  'captureInputRequired',
  'captureResourceRead',
  'captureResourcesList',
  'capturePromptGet',
  'capturePromptsList',
] as const;

/** Each finished-call method with the bare value, and with a record of hostile fields. */
const CAPTURE_CALLS: [string, Invoke][] = CAPTURE_METHODS.flatMap((method): [string, Invoke][] => [
  [`${method} (bare value)`, (c, { value }) => (c[method] as (data: unknown) => unknown)(value)],
  [`${method} (hostile fields)`, (c, { a }) => (c[method] as (data: unknown) => unknown)(a)],
]);

/** Every public MCP method, with the hostile value or records in every argument position it reads. */
export const PUBLIC_CALLS: readonly [string, Invoke][] = [
  ['prepareToolList (bare value)', (c, { value }) => c.prepareToolList(asAny<unknown[]>(value))],
  [
    'prepareToolList (value and options)',
    (c, { value }) => c.prepareToolList(asAny<unknown[]>(value), asAny(value)),
  ],
  ['prepareToolList (value in the list)', (c, { value }) => c.prepareToolList([value], asAny(value))],
  [
    'prepareToolList (hostile tools)',
    (c, { value, a, b }) => c.prepareToolList(asAny<unknown[]>([value, a]), asAny(b)),
  ],
  [
    'prepareToolCall (every argument)',
    (c, { value }) => c.prepareToolCall(asAny(value), asAny(value), asAny(value)),
  ],
  [
    'prepareToolCall (arguments and options)',
    (c, { value }) => c.prepareToolCall('search', asAny(value), asAny(value)),
  ],
  ['prepareToolCall (hostile fields)', (c, { value, a, b }) => c.prepareToolCall(asAny(value), a, asAny(b))],
  [
    'completeToolCall (forged call)',
    (c, { value }) => c.completeToolCall(asAny<PreparedToolCall>(value), asAny(value)),
  ],
  [
    'completeToolCall (forged call, hostile fields)',
    (c, { value, a }) => c.completeToolCall(asAny<PreparedToolCall>(value), asAny(a)),
  ],
  [
    'completeToolCall (bare outcome)',
    (c, { value }) => c.completeToolCall(c.prepareToolCall('search', {}), asAny(value)),
  ],
  [
    'completeToolCall (hostile outcome fields)',
    (c, { value }) =>
      c.completeToolCall(
        c.prepareToolCall('search', {}),
        asAny({ result: value, error: value, errorType: value }),
      ),
  ],
  [
    'prepare and complete (hostile fields)',
    (c, { value, a, b }) =>
      c.completeToolCall(c.prepareToolCall('tool', a, asAny(b)), asAny({ ...a, result: value })),
  ],
  ...CAPTURE_CALLS,
  ['captureFeedback (hostile report)', (c, { a, b }) => c.captureFeedback(asAny({ ...a, report: b }))],
];

/** Calls every entry of {@link PUBLIC_CALLS} once; returns what threw, as `name: error`. */
export function callEveryMethod(client: PostHogMCP, args: HostileArgs): string[] {
  const thrown: string[] = [];
  for (const [name, invoke] of PUBLIC_CALLS) {
    try {
      invoke(client, args);
    } catch (error) {
      thrown.push(`${name}: ${String(error)}`);
    }
  }
  return thrown;
}

/** A record holding a freshly built hostile value under every field name the public methods read. */
export function everyFieldHolding(make: () => unknown): Record<string, unknown> {
  return Object.fromEntries(FIELD_NAMES.map((field) => [field, make()]));
}

/** Calls every public MCP method `runs` times with arguments fast-check builds from recipes; returns what threw. */
export async function hammerPublicMethods(client: PostHogMCP, runs: number, seed: number): Promise<string[]> {
  const thrown: string[] = [];
  await fc.assert(
    fc.asyncProperty(recordArbitrary, recordArbitrary, recipeArbitrary, async (a, b, value: Recipe) => {
      thrown.push(...callEveryMethod(client, { value: build(value), a: buildRecord(a), b: buildRecord(b) }));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }),
    { numRuns: runs, seed },
  );
  return thrown;
}
