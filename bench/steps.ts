/** The list and call steps timed synchronously (no events), each against a plain-JavaScript equivalent. */
import { PostHogMCP as PeerPostHogMCP } from '@posthog/mcp';
import { ours as oursBuild } from './ours';

const { PostHogMCP } = oursBuild;

import type { ScenarioSettings } from './columns';
import { META, REQUEST, TOOL, TOOL_NAME, TOOLS } from './fixtures';
import type { Impl } from './measure';
import { ARGS_WITH_CONTEXT } from './three-steps';

const PEER_OPTIONS = { captureModel: true } as const;

/** A scenario timed only synchronously (no events): the list step and the call step. */
export interface SyncScenario {
  name: string;
  iterations: number;
  make: Record<Impl, () => { call(): unknown; close(): Promise<void> }>;
}

const CONTEXT_PROPERTY = { type: 'string', description: 'What you are trying to achieve with this call.' };

/** A plain copy of the tools adding one property to each schema: the list step's floor. */
function plainCopy(tools: typeof TOOLS): typeof TOOLS {
  return tools.map((tool) => ({
    ...tool,
    inputSchema: {
      ...tool.inputSchema,
      properties: { ...tool.inputSchema.properties, context: CONTEXT_PROPERTY },
    },
  }));
}

const closeNothing = async (): Promise<void> => undefined;

/** The list and call step scenarios. */
export function syncScenarios(settings: ScenarioSettings): SyncScenario[] {
  const { host } = settings;
  const ours = () => new PostHogMCP('phc_bench_sync', { host });
  const peer = () => new PeerPostHogMCP('phc_bench_sync', { host, ...PEER_OPTIONS });
  return [
    {
      name: 'prepareToolList (50 tools)',
      iterations: settings.quick ? 50 : 400,
      make: {
        floor: () => ({ call: () => plainCopy(TOOLS), close: closeNothing }),
        peer: () => {
          const c = peer();
          return { call: () => c.prepareToolList(TOOLS), close: () => c.shutdown() };
        },
        ours: () => {
          const c = ours();
          return { call: () => c.prepareToolList(TOOLS), close: () => c.shutdown() };
        },
      },
    },
    {
      name: 'prepareToolCall (with context)',
      iterations: settings.quick ? 200 : 4000,
      make: {
        floor: () => ({
          call: () => {
            const { context: _context, llm_model: _model, ...rest } = ARGS_WITH_CONTEXT;
            return rest;
          },
          close: closeNothing,
        }),
        peer: () => {
          const c = peer();
          const options = { originalTool: TOOL, requestMeta: META };
          return {
            call: () => c.prepareToolCall(TOOL_NAME, ARGS_WITH_CONTEXT, options),
            close: () => c.shutdown(),
          };
        },
        ours: () => {
          const c = ours();
          const options = { tool: TOOL, meta: META, session: REQUEST.sessionId };
          return {
            call: () => c.prepareToolCall(TOOL_NAME, ARGS_WITH_CONTEXT, options),
            close: () => c.shutdown(),
          };
        },
      },
    },
  ];
}
