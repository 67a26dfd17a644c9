import type { CaptureCommon } from '../capture-data';
import { describeError } from '../logger';
import { readProperty, stringOrUndefined as str } from '../safe-object';
import { newSessionId } from '../session/new-session-id';
import { encodeSessionToken, type SessionTokenPayload } from '../session/session-token';
import type { Identity } from '../types';
import { hasResult, JsonRpcError, type RequestId, type RpcCall, readError, withResult } from './json-rpc';
import { type MessageStep, passThrough } from './message-step';
import { commonFields, type RequestScope, type RouterState, startTimer, withIdentity } from './request-scope';

/** The protocol revision without `initialize` sessions: never given a session token. */
const STATELESS_PROTOCOL = '2026-07-28';

type Common = CaptureCommon & { durationMs?: number };

/** A finished request: the router, the request, the host's response and the fields its capture shares. */
interface Finished<C> {
  state: RouterState<C>;
  rpc: RpcCall;
  response: unknown;
  common: Common;
}

/** Reacts to the host's response: captures, and returns the response to send. */
type Finish<C> = (finished: Finished<C>) => unknown;

/** The failure fields of an error response, for the finished-call capture methods. */
function failureOf(response: unknown): { isError?: boolean; error?: unknown } {
  const error = readError(response);
  return error ? { isError: true, error: new JsonRpcError(error) } : {};
}

/** A step that captures after the host answers, with the shared fields; identity resolves while the host runs. */
function planFinished<C>(
  router: { state: RouterState<C>; scope: RequestScope<C> },
  rpc: RpcCall & { id: RequestId },
  finish: Finish<C>,
): MessageStep {
  const { state, scope } = router;
  const timer = startTimer();
  void scope.identity();
  return {
    ...passThrough(rpc.message, rpc.id),
    finish: (response) => {
      const durationMs = timer.elapsedMs();
      return withIdentity(scope, (identity: Identity | undefined) => {
        try {
          const common = commonFields({ scope, identity }, rpc, { timestamp: timer.timestamp, durationMs });
          return finish({ state, rpc, response, common });
        } catch (error) {
          state.host.logger.error(`instrumentRouter: ${rpc.method} capture failed: ${describeError(error)}`);
          return response;
        }
      });
    },
  };
}

/** Mints a session token when the host asked for one, the request has none and is not stateless. */
function mintToken<C>(
  router: { state: RouterState<C>; scope: RequestScope<C> },
  rpc: RpcCall,
  response: unknown,
) {
  const { state, scope } = router;
  const wants = state.options.mintSessionToken;
  if (!wants || !hasResult(response) || scope.session() !== undefined) return undefined;
  const requested = str(readProperty(rpc.params, 'protocolVersion'));
  const negotiated = str(readProperty(response.result, 'protocolVersion')) ?? requested;
  if (requested === STATELESS_PROTOCOL || negotiated === STATELESS_PROTOCOL || !wants(scope.context)) {
    return undefined;
  }
  const clientInfo = readProperty(rpc.params, 'clientInfo');
  const payload: Record<string, unknown> = {
    sid: newSessionId(),
    cn: str(readProperty(clientInfo, 'name')),
    cv: str(readProperty(clientInfo, 'version')),
    pv: negotiated,
  };
  const token = encodeSessionToken(payload as unknown as SessionTokenPayload) ?? undefined;
  if (token !== undefined) state.options.onSessionToken?.(token, scope.context);
  return token;
}

const finishInitialize =
  <C>(scope: RequestScope<C>): Finish<C> =>
  ({ state: s, rpc: call, response, common }) => {
    let token: string | undefined;
    try {
      token = mintToken({ state: s, scope }, call, response);
    } catch (error) {
      s.host.logger.warn(`instrumentRouter: minting a session token failed: ${describeError(error)}`);
    }
    const negotiated = str(readProperty(readProperty(response, 'result'), 'protocolVersion'));
    s.host.client.captureInitialize({
      ...common,
      ...(token ? { sessionId: token } : {}),
      ...(negotiated ? { protocolVersion: negotiated } : {}),
      parameters: call.params,
    });
    return response;
  };

function isLastPage(result: unknown): boolean {
  const cursor = readProperty(result, 'nextCursor');
  return cursor === undefined || cursor === null || cursor === '';
}

/** `tools/list`: each page decorated (virtual tools only on the last page) and captured with its names. */
const finishToolsList: Finish<unknown> = ({ state, response, common }) => {
  const { client } = state.host;
  if (!hasResult(response)) {
    client.captureToolsList({ ...common, ...failureOf(response) });
    return response;
  }
  const result = response.result;
  const tools = readProperty(result, 'tools');
  if (!Array.isArray(tools)) {
    client.captureToolsList({ ...common, toolNames: [] });
    return response;
  }
  const decorated = client.prepareToolList(
    tools,
    isLastPage(result) ? {} : { reportMissing: false, collectFeedback: false },
  );
  client.captureToolsList({ ...common, tools: decorated, response: result });
  return withResult(response, { ...(result as object), tools: decorated });
};

const finishResourcesList: Finish<unknown> = ({ state, response, common }) => {
  if (hasResult(response)) state.host.client.captureResourcesList({ ...common, response: response.result });
  return response;
};

const finishPromptsList: Finish<unknown> = ({ state, response, common }) => {
  if (hasResult(response)) state.host.client.capturePromptsList({ ...common, response: response.result });
  return response;
};

const finishResourceRead: Finish<unknown> = ({ state, rpc, response, common }) => {
  const uri = str(readProperty(rpc.params, 'uri'));
  state.host.client.captureResourceRead({ ...common, ...(uri ? { uri } : {}), ...failureOf(response) });
  return response;
};

const finishPromptGet: Finish<unknown> = ({ state, rpc, response, common }) => {
  const name = str(readProperty(rpc.params, 'name'));
  state.host.client.capturePromptGet({ ...common, ...(name ? { name } : {}), ...failureOf(response) });
  return response;
};

const FINISHERS = new Map<string, Finish<unknown>>([
  ['tools/list', finishToolsList],
  ['resources/list', finishResourcesList],
  ['resources/read', finishResourceRead],
  ['prompts/list', finishPromptsList],
  ['prompts/get', finishPromptGet],
]);

/** The step for a request method captured after the host answers, or `undefined` to pass it through. */
export function planFinishedRoute<C>(
  state: RouterState<C>,
  scope: RequestScope<C>,
  rpc: RpcCall & { id: RequestId },
): MessageStep | undefined {
  const finish =
    rpc.method === 'initialize'
      ? finishInitialize(scope)
      : (FINISHERS.get(rpc.method) as Finish<C> | undefined);
  return finish ? planFinished({ state, scope }, rpc, finish) : undefined;
}
