/** The benchmark scenarios: what floor, peer and ours do for one call of each. */
import { PostHogMCP as PeerPostHogMCP } from '@posthog/mcp';
import { PostHog } from 'posthog-node';
import { type MCPEvent, PostHogMCP } from '../src/index';
import { IDENTITY, INITIALIZE, LARGE, MEDIUM, REQUEST, realError, SMALL, tools50 } from './fixtures';
import type { Impl } from './measure';

/** One column's client for one round: a request-path call and the final shutdown. */
export interface Runner {
  call(index: number): void;
  shutdown(): Promise<void>;
}

/** A scenario whose calls send events through a real client. */
export interface EventScenario {
  name: string;
  /** Column names other than floor / peer / ours, e.g. when the peer column holds another of ours. */
  labels?: Partial<Record<Impl, string>>;
  eventsPerCall: number;
  calls: number;
  make: Record<Impl, (apiKey: string) => Runner>;
}

/** What the scenarios need to know about the run. */
export interface ScenarioSettings {
  host: string;
  quick: boolean;
}

const TOOL = tools50()[7]!;
const TOOL_NAME = TOOL.name;
const META = { 'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.0.31' } };
const PEER_OPTIONS = { captureModel: true } as const;

/** The capture data of a finished call; shared by ours and the peer (their field names agree). */
function callData(args: unknown, result: unknown, error?: Error) {
  return {
    toolName: TOOL_NAME,
    toolDescription: TOOL.description,
    category: 'billing',
    intent: 'Check the forecast before booking the team offsite',
    parameters: args,
    response: result,
    durationMs: 12.4,
    ...(error ? { isError: true, error } : { isError: false }),
    ...IDENTITY,
    ...REQUEST,
  };
}

type OursCall = (client: PostHogMCP, index: number) => void;
type PeerCall = (client: PeerPostHogMCP, index: number) => void;

/** The exact events ours sends for one call, recorded through `beforeSend`: the floor's property bags. */
async function bagsOf(host: string, oursCall: OursCall): Promise<MCPEvent[]> {
  const bags: MCPEvent[] = [];
  const client = new PostHogMCP('phc_bench_setup', {
    host,
    beforeSend: (event) => {
      bags.push(event);
      return event;
    },
  });
  oursCall(client, 0);
  await client.shutdown();
  return bags;
}

/** A fresh top-level property object per call, as a host building its own capture would; nested values are shared. */
function freshBag(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) out[key] = properties[key];
  return out;
}

function floorRunner(host: string, bags: readonly MCPEvent[]) {
  return (apiKey: string): Runner => {
    const client = new PostHog(apiKey, { host });
    return {
      call: () => {
        for (const bag of bags) {
          client.capture({
            distinctId: bag.distinctId,
            event: bag.event,
            properties: freshBag(bag.properties),
            ...(bag.groups ? { groups: bag.groups } : {}),
          });
        }
      },
      shutdown: () => client.shutdown(),
    };
  };
}

async function eventScenario(
  settings: ScenarioSettings,
  spec: { name: string; calls: number; quickCalls: number; ours: OursCall; peer: PeerCall },
): Promise<EventScenario> {
  const { host } = settings;
  const bags = await bagsOf(host, spec.ours);
  return {
    name: spec.name,
    eventsPerCall: bags.length,
    calls: settings.quick ? spec.quickCalls : spec.calls,
    make: {
      floor: floorRunner(host, bags),
      peer: (apiKey) => {
        const client = new PeerPostHogMCP(apiKey, { host, ...PEER_OPTIONS });
        return { call: (i) => spec.peer(client, i), shutdown: () => client.shutdown() };
      },
      ours: (apiKey) => {
        const client = new PostHogMCP(apiKey, { host });
        return { call: (i) => spec.ours(client, i), shutdown: () => client.shutdown() };
      },
    },
  };
}

const TOOLS = tools50();
const LISTING = { tools: TOOLS, nextCursor: 'page_2' };
const TOOL_NAMES = TOOLS.map((tool) => tool.name);
const ARGS_WITH_CONTEXT = {
  ...SMALL.args,
  context: 'Check the forecast before booking the team offsite',
  llm_model: 'claude-sonnet-4-5',
};

function listAndInit<C extends PostHogMCP | PeerPostHogMCP>(client: C): void {
  client.captureInitialize({
    ...INITIALIZE,
    clientName: 'claude-code',
    clientVersion: '2.0.31',
    durationMs: 1.2,
    ...IDENTITY,
    ...REQUEST,
  });
  client.captureToolsList({
    toolNames: TOOL_NAMES,
    response: LISTING,
    durationMs: 0.8,
    ...IDENTITY,
    ...REQUEST,
  });
}

function oursThreeSteps(client: PostHogMCP): void {
  const call = client.prepareToolCall(TOOL_NAME, ARGS_WITH_CONTEXT, {
    tool: TOOL,
    meta: META,
    session: REQUEST.sessionId,
    identity: {
      distinctId: IDENTITY.distinctId,
      properties: IDENTITY.setProperties,
      groups: IDENTITY.groups,
    },
    headers: { 'user-agent': REQUEST.clientUserAgent },
  });
  client.completeToolCall(call, { result: SMALL.result });
}

function peerThreeSteps(client: PeerPostHogMCP): void {
  const call = client.prepareToolCall(TOOL_NAME, ARGS_WITH_CONTEXT, {
    originalTool: TOOL,
    requestMeta: META,
  });
  client.captureToolCall({
    toolName: TOOL_NAME,
    toolDescription: TOOL.description,
    category: 'billing',
    ...(call.intent ? { intent: call.intent, intentSource: 'context_parameter' } : {}),
    ...(call.llmModel ? { llmModel: call.llmModel } : {}),
    parameters: call.args,
    response: SMALL.result,
    durationMs: 3.1,
    isError: false,
    ...IDENTITY,
    ...REQUEST,
  });
}

const TOOL_CALL_MESSAGE = {
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: TOOL_NAME, arguments: ARGS_WITH_CONTEXT, _meta: META },
};
const hostRoute = (message: unknown): unknown => ({
  jsonrpc: '2.0',
  id: (message as { id?: unknown }).id,
  result: SMALL.result,
});
const TOOLS_BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));
const identify = () => ({
  distinctId: IDENTITY.distinctId,
  properties: IDENTITY.setProperties,
  groups: IDENTITY.groups,
});

const routes = new WeakMap<PostHogMCP, (message: unknown, context: unknown) => unknown>();

/** One `tools/call` through the wrapped router; the wrapped route is built once per client. */
function oursRouter(client: PostHogMCP): void {
  let route = routes.get(client);
  if (!route) {
    route = client.instrumentRouter(hostRoute, {
      tools: () => TOOLS,
      identify,
      headers: () => ({ 'user-agent': REQUEST.clientUserAgent }),
      session: () => REQUEST.sessionId,
    });
    routes.set(client, route);
  }
  route(TOOL_CALL_MESSAGE, undefined);
}

/** The same `tools/call` routed by hand through the three steps, as a host would wire them into its router. */
function handWiredRouter(client: PostHogMCP): unknown {
  const message = TOOL_CALL_MESSAGE;
  const { params } = message;
  const call = client.prepareToolCall(params.name, params.arguments, {
    tool: TOOLS_BY_NAME.get(params.name),
    meta: params._meta,
    session: REQUEST.sessionId,
    identity: identify(),
    headers: { 'user-agent': REQUEST.clientUserAgent },
  });
  const response = hostRoute({ ...message, params: { ...params, arguments: call.args } }) as {
    result?: unknown;
  };
  return { ...response, result: client.completeToolCall(call, { result: response.result }) };
}

/** The wrapped router against the hand-wired three steps (in the peer column) and the floor. */
async function routerScenario(settings: ScenarioSettings): Promise<EventScenario> {
  const scenario = await eventScenario(settings, {
    name: 'wrapped router',
    calls: 400,
    quickCalls: 40,
    ours: oursRouter,
    peer: () => undefined,
  });
  const { host } = settings;
  scenario.labels = { peer: 'hand-wired three steps (ours)' };
  scenario.make.peer = (apiKey) => {
    const client = new PostHogMCP(apiKey, { host });
    return { call: () => handWiredRouter(client), shutdown: () => client.shutdown() };
  };
  return scenario;
}

/** Every event scenario, with the floor's bags recorded from ours. */
export async function eventScenarios(settings: ScenarioSettings): Promise<EventScenario[]> {
  const small = callData(SMALL.args, SMALL.result);
  const medium = callData(MEDIUM.args, MEDIUM.result);
  const large = callData(LARGE.args, LARGE.result);
  const failed = callData(SMALL.args, undefined, realError());
  return Promise.all([
    eventScenario(settings, {
      name: 'small',
      calls: 400,
      quickCalls: 40,
      ours: (c) => c.captureToolCall(small),
      peer: (c) => c.captureToolCall(small),
    }),
    eventScenario(settings, {
      name: 'medium',
      calls: 200,
      quickCalls: 20,
      ours: (c) => c.captureToolCall(medium),
      peer: (c) => c.captureToolCall(medium),
    }),
    eventScenario(settings, {
      name: 'large',
      calls: 10,
      quickCalls: 2,
      ours: (c) => c.captureToolCall(large),
      peer: (c) => c.captureToolCall(large),
    }),
    eventScenario(settings, {
      name: 'error',
      calls: 200,
      quickCalls: 20,
      ours: (c) => c.captureToolCall(failed),
      peer: (c) => c.captureToolCall(failed),
    }),
    eventScenario(settings, {
      name: 'tools/list + initialize',
      calls: 200,
      quickCalls: 20,
      ours: listAndInit,
      peer: listAndInit,
    }),
    eventScenario(settings, {
      name: 'three steps',
      calls: 400,
      quickCalls: 40,
      ours: oursThreeSteps,
      peer: peerThreeSteps,
    }),
    routerScenario(settings),
  ]);
}

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
