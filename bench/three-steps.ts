/** The three-steps and wrapped-router scenarios: a `tools/call` through `prepareToolCall` and `completeToolCall`. */
import type { PostHogMCP as PeerPostHogMCP } from '@posthog/mcp';
import { PostHogMCP } from '../src/index';
import { type EventScenario, eventScenario, type Op, type ScenarioSettings } from './columns';
import { IDENTITY, META, REQUEST, SMALL, TOOL, TOOL_NAME, TOOLS } from './fixtures';

/** Call arguments carrying the injected `context` and `llm_model`. */
export const ARGS_WITH_CONTEXT = {
  ...SMALL.args,
  context: 'Check the forecast before booking the team offsite',
  llm_model: 'claude-sonnet-4-5',
};

/** Ours: `prepareToolCall` then `completeToolCall`, each timed against the floor's `capture()`. */
export function oursThreeSteps(client: PostHogMCP): Op[] {
  let call: ReturnType<PostHogMCP['prepareToolCall']> | undefined;
  return [
    {
      name: 'prepareToolCall',
      run: () => {
        call = client.prepareToolCall(TOOL_NAME, ARGS_WITH_CONTEXT, {
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
      },
      vs: 0,
    },
    { name: 'completeToolCall', run: () => client.completeToolCall(call!, { result: SMALL.result }), vs: 0 },
  ];
}

/** The peer: its `prepareToolCall`, then `captureToolCall` with what the step returned. */
export function peerThreeSteps(client: PeerPostHogMCP): Op[] {
  let call: ReturnType<PeerPostHogMCP['prepareToolCall']> | undefined;
  return [
    {
      name: 'prepareToolCall',
      run: () => {
        call = client.prepareToolCall(TOOL_NAME, ARGS_WITH_CONTEXT, {
          originalTool: TOOL,
          requestMeta: META,
        });
      },
    },
    {
      name: 'captureToolCall',
      run: () =>
        client.captureToolCall({
          toolName: TOOL_NAME,
          toolDescription: TOOL.description,
          category: 'billing',
          ...(call?.intent ? { intent: call.intent, intentSource: 'context_parameter' } : {}),
          ...(call?.llmModel ? { llmModel: call.llmModel } : {}),
          parameters: call?.args,
          response: SMALL.result,
          durationMs: 3.1,
          isError: false,
          ...IDENTITY,
          ...REQUEST,
        }),
    },
  ];
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

/** One `tools/call` through the wrapped router (built once per client). */
function oursRouter(client: PostHogMCP): Op[] {
  const route = client.instrumentRouter(hostRoute, {
    tools: () => TOOLS,
    identify,
    headers: () => ({ 'user-agent': REQUEST.clientUserAgent }),
    session: () => REQUEST.sessionId,
  });
  return [{ name: 'router call', run: () => route(TOOL_CALL_MESSAGE, undefined) }];
}

/** The same `tools/call` routed by hand through the three steps, as a host would wire them into its router. */
export function handWiredThreeSteps(client: PostHogMCP): unknown {
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
export async function routerScenario(settings: ScenarioSettings): Promise<EventScenario> {
  const scenario = await eventScenario(settings, {
    name: 'wrapped router',
    about: '`instrumentRouter` on a `tools/call`; the peer column is ours hand-wired through the three steps',
    calls: 400,
    quickCalls: 40,
    ours: oursRouter,
    peer: () => [],
  });
  const { host } = settings;
  scenario.labels = { peer: 'hand-wired three steps (ours)' };
  scenario.make.peer = (apiKey) => {
    const client = new PostHogMCP(apiKey, { host, exceptionRateLimit: false });
    return {
      ops: [{ name: 'hand-wired call', run: () => handWiredThreeSteps(client) }],
      shutdown: () => client.shutdown(),
    };
  };
  return scenario;
}
