/** The event scenarios: what floor, peer and ours do per call in each. */
import type { PostHogMCP as PeerPostHogMCP } from '@posthog/mcp';
import type { PostHog } from 'posthog-node';
import { PROP } from '../src/events';
import type { MCPEvent, PostHogMCP } from '../src/index';
import {
  type EventScenario,
  eventScenario,
  freshBag,
  type Op,
  type OpsOf,
  type ScenarioSettings,
  type ScenarioSpec,
  selected,
} from './columns';
import {
  freshErrors,
  IDENTITY,
  INITIALIZE,
  LARGE,
  MEDIUM,
  REQUEST,
  realError,
  SMALL,
  TOOL,
  TOOL_NAME,
  TOOLS,
  tools50,
  UUID_REQUEST,
} from './fixtures';
import { oursThreeSteps, peerThreeSteps, routerScenario } from './three-steps';

type Request = typeof REQUEST;

/** A finished call as the scenarios describe it: identity, groups, `$set`, request fields, intent. */
function finishedCall(request: Request, args: unknown, result: unknown, error?: Error) {
  return {
    toolName: TOOL_NAME,
    intent: 'Check the forecast before booking the team offsite',
    parameters: args,
    response: result,
    durationMs: 12.4,
    ...(error ? { isError: true, error } : { isError: false }),
    ...IDENTITY,
    ...request,
  };
}

/** The same with the tool's description and category, as the first version of the benchmark sent. */
function describedCall(args: unknown, result: unknown, error?: Error) {
  return {
    ...finishedCall(REQUEST, args, result, error),
    toolDescription: TOOL.description,
    category: 'billing',
  };
}

type CallData = ReturnType<typeof finishedCall>;

/** One `captureToolCall` with the same data every call; the peer's field names agree with ours. */
function toolCall(data: CallData): { ours: OpsOf<PostHogMCP>; peer: OpsOf<PeerPostHogMCP> } {
  return {
    ours: (c) => [{ name: 'captureToolCall', run: () => c.captureToolCall(data) }],
    peer: (c) => [{ name: 'captureToolCall', run: () => c.captureToolCall(data) }],
  };
}

let errorSeed = 0;

/** A failed `captureToolCall` per call, each with its own freshly thrown error (made before the round). */
function failedCalls(): { ours: OpsOf<PostHogMCP>; peer: OpsOf<PeerPostHogMCP> } {
  const ops = (capture: (data: CallData) => void, count: number): Op[] => {
    const errors = freshErrors(count, ++errorSeed);
    return [
      {
        name: 'captureToolCall',
        run: (i) => capture(finishedCall(UUID_REQUEST, SMALL.args, undefined, errors[i])),
      },
    ];
  };
  return {
    ours: (c, count) => ops((d) => c.captureToolCall(d), count),
    peer: (c, count) => ops((d) => c.captureToolCall(d), count),
  };
}

/**
 * The error floor: `capture()` of ours' `$mcp_tool_call` bag with this call's message, then posthog-node's
 * own `captureException(error, distinctId, properties)` with the non-exception properties of ours'
 * `$exception` bag (posthog-node parses the stack and adds source context itself).
 */
function errorFloor(client: PostHog, bags: readonly MCPEvent[], count: number): Op[] {
  const [call, exception] = bags as [MCPEvent, MCPEvent];
  const errors = freshErrors(count, ++errorSeed);
  const shared = freshBag(exception.properties);
  delete shared[PROP.exceptionList];
  return [
    {
      name: 'capture($mcp_tool_call)',
      run: (i) => {
        const properties = freshBag(call.properties);
        properties[PROP.errorMessage] = errors[i]?.message;
        client.capture({
          distinctId: call.distinctId,
          event: call.event,
          properties,
          ...(call.groups ? { groups: call.groups } : {}),
        });
      },
    },
    {
      name: 'captureException',
      run: (i) => client.captureException(errors[i], exception.distinctId, freshBag(shared)),
    },
  ];
}

const LISTING = (tools: typeof TOOLS) => ({ tools, nextCursor: 'page_2' });

/** `captureInitialize` then `captureToolsList` of `tools`; with `prepare`, the list step runs before the list event. */
function listAndInit<C extends PostHogMCP | PeerPostHogMCP>(
  tools: typeof TOOLS,
  request: Request,
  prepare?: (client: C, tools: typeof TOOLS) => unknown,
): OpsOf<C> {
  const names = tools.map((tool) => tool.name);
  const listing = LISTING(tools);
  // Built once, as the call scenarios' data is: the timed operation is the capture method alone.
  const initialize = {
    ...INITIALIZE,
    clientName: 'claude-code',
    clientVersion: '2.0.31',
    durationMs: 1.2,
    ...IDENTITY,
    ...request,
  };
  const list = { toolNames: names, response: listing, durationMs: 0.8, ...IDENTITY, ...request };
  return (client) => {
    const ops: Op[] = [
      { name: 'captureInitialize', run: () => client.captureInitialize(initialize) },
      { name: 'captureToolsList', run: () => client.captureToolsList(list) },
    ];
    if (prepare) ops.splice(1, 0, { name: 'prepareToolList', run: () => prepare(client, tools), vs: 1 });
    return ops;
  };
}

const TOOLS_20 = tools50(20);
const SMALL_CALL = finishedCall(UUID_REQUEST, SMALL.args, SMALL.result);

/** The event scenarios other than the wrapped router, in report order. */
export function scenarioSpecs(): ScenarioSpec[] {
  return [
    {
      name: 'small',
      about:
        '`captureToolCall` with identity, groups, `$set`, a UUID `sessionId`, protocol version, user agent, intent, 3 small params, short text response',
      calls: 400,
      quickCalls: 40,
      ...toolCall(SMALL_CALL),
    },
    {
      name: 'error',
      about:
        'a failed `captureToolCall` (same fields as small, no response) with a thrown error whose message and stack differ per call (4 throw sites), `$exception` on',
      calls: 200,
      quickCalls: 20,
      ...failedCalls(),
      floor: errorFloor,
      floorNote:
        "`capture()` of the call's bag + posthog-node's own `captureException(error, distinctId, properties)`",
    },
    {
      name: 'list-init',
      about: '`captureInitialize` + `captureToolsList` (20 tools), identity and a UUID session',
      calls: 200,
      quickCalls: 20,
      ours: listAndInit(TOOLS_20, UUID_REQUEST),
      peer: listAndInit(TOOLS_20, UUID_REQUEST),
    },
    {
      name: 'medium',
      about: '~5 KB params, 20 KB nested result',
      calls: 200,
      quickCalls: 20,
      ...toolCall(describedCall(MEDIUM.args, MEDIUM.result)),
    },
    {
      name: 'large',
      about: '1 MB text result, 200 KB base64 in the params',
      calls: 10,
      quickCalls: 2,
      ...toolCall(describedCall(LARGE.args, LARGE.result)),
    },
    {
      name: 'small-described',
      about: 'the first small: as small plus tool description and category, a short non-UUID session id',
      calls: 400,
      quickCalls: 40,
      ...toolCall(describedCall(SMALL.args, SMALL.result)),
    },
    {
      name: 'error-recurring',
      about: 'the first error: one thrown error object reused by every call (same message and stack)',
      calls: 200,
      quickCalls: 20,
      ...toolCall(describedCall(SMALL.args, undefined, realError())),
    },
    {
      name: 'list-init-50',
      about: 'the first list scenario: `captureInitialize` + `captureToolsList` with 50 tools',
      calls: 200,
      quickCalls: 20,
      ours: listAndInit(TOOLS, REQUEST),
      peer: listAndInit(TOOLS, REQUEST),
    },
    {
      name: 'list-steps',
      about:
        'list-init with `prepareToolList` (20 tools) before `captureToolsList`: the list step timed against the floor',
      calls: 200,
      quickCalls: 20,
      ours: listAndInit<PostHogMCP>(TOOLS_20, UUID_REQUEST, (c, tools) => c.prepareToolList(tools)),
      peer: listAndInit<PeerPostHogMCP>(TOOLS_20, UUID_REQUEST, (c, tools) => c.prepareToolList(tools)),
    },
    {
      name: 'three steps',
      about:
        '`prepareToolCall` with context, `llm_model`, `_meta`, headers, session, identity; then `completeToolCall`',
      calls: 400,
      quickCalls: 40,
      ours: oursThreeSteps,
      peer: peerThreeSteps,
    },
  ];
}

/** The event scenarios selected by `only` (all by default), in report order; floor bags recorded from ours. */
export async function eventScenarios(
  settings: ScenarioSettings,
  only?: readonly string[],
): Promise<EventScenario[]> {
  const specs = scenarioSpecs().filter((spec) => selected(spec.name, only));
  const scenarios = await Promise.all(specs.map((spec) => eventScenario(settings, spec)));
  if (selected('wrapped router', only)) scenarios.push(await routerScenario(settings));
  return scenarios;
}
