import fc from 'fast-check';
import type { PostHogMCP } from '../../src/client';
import type { PreparedToolCall } from '../../src/tools/call-state';
import { build, buildRecord, type Recipe, recipeArbitrary, recordArbitrary } from './hardening-hostile';

type Entries = [string, Recipe][];
type Invoke = (client: PostHogMCP, a: Entries, b: Entries, value: Recipe) => unknown;

const asAny = <T>(value: unknown): T => value as T;

/** Every public MCP method, called with hostile arguments built from recipes. */
const METHODS: [string, Invoke][] = [
  [
    'prepareToolList',
    (c, a, b, v) => c.prepareToolList(asAny<unknown[]>([build(v), buildRecord(a)]), asAny(buildRecord(b))),
  ],
  [
    'prepareToolList (junk list)',
    (c, _a, _b, v) => c.prepareToolList(asAny<unknown[]>(build(v)), asAny(build(v))),
  ],
  [
    'prepareToolCall',
    (c, a, b, v) => c.prepareToolCall(asAny(build(v)), buildRecord(a), asAny(buildRecord(b))),
  ],
  [
    'prepare and complete',
    (c, a, b, v) => {
      const call = c.prepareToolCall('tool', buildRecord(a), asAny(buildRecord(b)));
      return c.completeToolCall(call, asAny({ ...buildRecord(a), result: build(v) }));
    },
  ],
  [
    'completeToolCall (forged call)',
    (c, a, _b, v) => c.completeToolCall(asAny<PreparedToolCall>(build(v)), asAny(buildRecord(a))),
  ],
  ['captureToolCall', (c, a) => c.captureToolCall(asAny(buildRecord(a)))],
  ['captureInitialize', (c, a) => c.captureInitialize(asAny(buildRecord(a)))],
  ['captureToolsList', (c, a) => c.captureToolsList(asAny(buildRecord(a)))],
  ['captureMissingCapability', (c, a) => c.captureMissingCapability(asAny(buildRecord(a)))],
  ['captureFeedback', (c, a, b) => c.captureFeedback(asAny({ ...buildRecord(a), report: buildRecord(b) }))],
  ['captureUnknownTool', (c, a) => c.captureUnknownTool(asAny(buildRecord(a)))],
  ['captureInputRequired', (c, a) => c.captureInputRequired(asAny(buildRecord(a)))],
  ['captureResourceRead', (c, a) => c.captureResourceRead(asAny(buildRecord(a)))],
  ['captureResourcesList', (c, a) => c.captureResourcesList(asAny(buildRecord(a)))],
  ['capturePromptGet', (c, a) => c.capturePromptGet(asAny(buildRecord(a)))],
  ['capturePromptsList', (c, a) => c.capturePromptsList(asAny(buildRecord(a)))],
  ['captureToolCall (bare hostile value)', (c, _a, _b, v) => c.captureToolCall(asAny(build(v)))],
];

/** Calls every public MCP method `runs` times with hostile arguments; returns what threw. */
export async function hammerPublicMethods(client: PostHogMCP, runs: number, seed: number): Promise<string[]> {
  const thrown: string[] = [];
  await fc.assert(
    fc.asyncProperty(recordArbitrary, recordArbitrary, recipeArbitrary, async (a, b, value) => {
      for (const [name, invoke] of METHODS) {
        try {
          invoke(client, a, b, value);
        } catch (error) {
          thrown.push(`${name}: ${String(error)}`);
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }),
    { numRuns: runs, seed },
  );
  return thrown;
}
