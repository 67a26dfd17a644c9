import { describe, expect, it } from 'vitest';
import type { PostHogMCP, PostHogMCPOptions, PrepareToolCallOptions, ToolDescriptor } from '../src/index';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const search: ToolDescriptor = {
  name: 'search_docs',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } } },
};
const annotate: ToolDescriptor = {
  name: 'annotate',
  inputSchema: {
    type: 'object',
    properties: { note: { type: 'string' }, context: { type: 'string' }, llm_model: {}, conversation_id: {} },
  },
};
const HANDLE = '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f';

/** Runs one call through the call and result steps and returns its `$mcp_tool_call` properties. */
async function callOnce(
  args: Record<string, unknown>,
  callOptions: PrepareToolCallOptions = { tool: search },
  options: PostHogMCPOptions = {},
  before: (posthog: PostHogMCP) => void = () => undefined,
) {
  const posthog = wire.client(options);
  before(posthog);
  const name = callOptions.tool?.name ?? 'search_docs';
  const call = posthog.prepareToolCall(name, args, callOptions);
  posthog.completeToolCall(call, { result: { content: [{ type: 'text', text: 'ok' }] } });
  await posthog.shutdown();
  const event = wire.server.eventsNamed('$mcp_tool_call').at(-1);
  return { call, props: (event as IngestedEvent).properties };
}

const argumentsOf = (props: Record<string, unknown>) =>
  (props.$mcp_parameters as { request: { params: { arguments: unknown } } }).request.params.arguments;

describe('ownership of injected arguments', () => {
  it('comes from the tool descriptor: owned arguments are stripped and read', async () => {
    const { call, props } = await callOnce({ query: 'q', context: 'find docs', llm_model: 'model-a' });
    expect(call.args).toEqual({ query: 'q' });
    expect(props.$mcp_intent).toBe('find docs');
    expect(props.$mcp_llm_model).toBe('model-a');
    expect(argumentsOf(props)).toEqual({ query: 'q' });
  });

  it('a tool’s own context, llm_model and conversation_id pass through, are captured and never read', async () => {
    const args = { note: 'n', context: 'tool data', llm_model: 'tool data', conversation_id: HANDLE };
    const { call, props } = await callOnce(args, { tool: annotate, session: 'legacy' });
    expect(call.args).toEqual(args);
    expect(call.intent).toBeUndefined();
    expect(call.llmModel).toBeUndefined();
    expect(call.conversationId).toBeUndefined();
    expect(argumentsOf(props)).toEqual(args);
    expect(props).not.toHaveProperty('$mcp_intent');
    expect(props).not.toHaveProperty('$mcp_conversation_id');
  });

  it('the tool descriptor wins over this instance’s listing', async () => {
    const listed = (posthog: PostHogMCP) => void posthog.prepareToolList([{ name: 'annotate' }]);
    const { call } = await callOnce({ note: 'n', context: 'data' }, { tool: annotate }, {}, listed);
    expect(call.args).toEqual({ note: 'n', context: 'data' });
  });

  it('falls back to this instance’s listing when no descriptor is given', async () => {
    const listed = (posthog: PostHogMCP) => void posthog.prepareToolList([search]);
    const { call, props } = await callOnce({ query: 'q', context: 'why' }, {}, {}, listed);
    expect(call.args).toEqual({ query: 'q' });
    expect(props.$mcp_intent).toBe('why');
  });

  it('is unknown without descriptor or listing: nothing is stripped or read', async () => {
    const args = { query: 'q', context: 'why', llm_model: 'm', conversation_id: HANDLE };
    const { call, props } = await callOnce(args, { session: 'legacy' });
    expect(call.args).toEqual(args);
    expect(call.intent).toBeUndefined();
    expect(call.llmModel).toBeUndefined();
    expect(call.conversationId).toBeUndefined();
    expect(argumentsOf(props)).toEqual(args);
  });
});

describe('intent', () => {
  const userIntent = (value: string) => ({ 'io.modelcontextprotocol/aiInvocation': { userIntent: value } });

  it('_meta aiInvocation.userIntent wins as client_metadata', async () => {
    const { props } = await callOnce(
      { context: 'from argument' },
      { tool: search, meta: userIntent('from meta') },
    );
    expect(props.$mcp_intent).toBe('from meta');
    expect(props.$mcp_intent_source).toBe('client_metadata');
  });

  it('the owned context argument is context_parameter', async () => {
    const { props } = await callOnce({ context: 'from argument' });
    expect(props.$mcp_intent).toBe('from argument');
    expect(props.$mcp_intent_source).toBe('context_parameter');
  });

  it('a synchronous intentFallback is inferred when the agent gave none', async () => {
    const intentFallback = ({ toolName }: { toolName: string }) => `looked up with ${toolName}`;
    const { call, props } = await callOnce({ query: 'q' }, { tool: search }, { intentFallback });
    expect(call.intent).toBe('looked up with search_docs');
    expect(props.$mcp_intent).toBe('looked up with search_docs');
    expect(props.$mcp_intent_source).toBe('inferred');
  });

  it('an asynchronous intentFallback reaches the wire as inferred', async () => {
    const intentFallback = async () => 'resolved later';
    const { props } = await callOnce({ query: 'q' }, { tool: search }, { intentFallback });
    expect(props.$mcp_intent).toBe('resolved later');
    expect(props.$mcp_intent_source).toBe('inferred');
  });

  it('an inferred intent is redacted and a blank one omitted, sync or async', async () => {
    const redacted = await callOnce(
      {},
      { tool: search },
      { intentFallback: async () => 'reply to ada@example.com' },
    );
    expect(redacted.props.$mcp_intent).toBe('reply to [redacted]');
    const blank = await callOnce({}, { tool: search }, { intentFallback: () => '{}' });
    expect(blank.props).not.toHaveProperty('$mcp_intent');
  });

  it('a throwing or rejecting intentFallback leaves the intent out and still sends the call', async () => {
    const thrown = await callOnce(
      {},
      { tool: search },
      {
        intentFallback: () => {
          throw new Error('boom');
        },
      },
    );
    const rejected = await callOnce(
      {},
      { tool: search },
      { intentFallback: () => Promise.reject(new Error('boom')) },
    );
    for (const { props } of [thrown, rejected]) {
      expect(props.$mcp_tool_name).toBe('search_docs');
      expect(props).not.toHaveProperty('$mcp_intent');
    }
  });

  it('intentFallback is not consulted when the agent gave a context', async () => {
    let calls = 0;
    const intentFallback = () => {
      calls += 1;
      return 'inferred';
    };
    const { props } = await callOnce({ context: 'given' }, { tool: search }, { intentFallback });
    expect(props.$mcp_intent).toBe('given');
    expect(calls).toBe(0);
  });

  it.each(['', '   ', '{}', ' {} '])('a blank or "{}" intent (%j) is omitted', async (blank) => {
    const { props } = await callOnce({ context: blank }, { tool: search, meta: userIntent(blank) });
    expect(props).not.toHaveProperty('$mcp_intent');
    expect(props).not.toHaveProperty('$mcp_intent_source');
  });

  it('free-text personal data in the intent is redacted', async () => {
    const { props } = await callOnce({
      context: 'email ada@example.com from 10.1.2.3 about card 4111 1111 1111 1111',
    });
    const intent = String(props.$mcp_intent);
    expect(intent).not.toMatch(/ada@example\.com|10\.1\.2\.3|4111/);
    expect(intent).toContain('[redacted]');
  });
});

describe('model', () => {
  it('_meta aiInvocation.model wins as client_metadata', async () => {
    const meta = { 'io.modelcontextprotocol/aiInvocation': { model: 'claude-x' } };
    const { props } = await callOnce({ llm_model: 'self' }, { tool: search, meta });
    expect(props.$mcp_llm_model).toBe('claude-x');
    expect(props.$mcp_llm_model_source).toBe('client_metadata');
  });

  it.each([
    { 'x-codex-turn-metadata': { model: 'gpt-codex' } },
    { 'x-codex-turn-metadata': JSON.stringify({ model: 'gpt-codex' }) },
  ])('x-codex-turn-metadata.model is client_metadata (%j)', async (meta) => {
    const { props } = await callOnce({ llm_model: 'self' }, { tool: search, meta });
    expect(props.$mcp_llm_model).toBe('gpt-codex');
    expect(props.$mcp_llm_model_source).toBe('client_metadata');
  });

  it('the owned llm_model argument is self_reported', async () => {
    const { props } = await callOnce({ llm_model: 'model-b' });
    expect(props.$mcp_llm_model).toBe('model-b');
    expect(props.$mcp_llm_model_source).toBe('self_reported');
  });

  it.each(['', '  ', 'unknown', 'Unknown'])(
    'a blank or "unknown" model (%j) is omitted with its source',
    async (value) => {
      const meta = { 'io.modelcontextprotocol/aiInvocation': { model: value } };
      const { props } = await callOnce({ llm_model: value }, { tool: search, meta });
      expect(props).not.toHaveProperty('$mcp_llm_model');
      expect(props).not.toHaveProperty('$mcp_llm_model_source');
    },
  );

  it('a self-reported model is cut to 256 characters', async () => {
    const { props } = await callOnce({ llm_model: 'm'.repeat(400) });
    expect(props.$mcp_llm_model).toBe('m'.repeat(256));
  });

  it('an unusable _meta model falls back to the self-reported one', async () => {
    const meta = { 'io.modelcontextprotocol/aiInvocation': { model: 'unknown' } };
    const { props } = await callOnce({ llm_model: 'model-c' }, { tool: search, meta });
    expect(props.$mcp_llm_model).toBe('model-c');
    expect(props.$mcp_llm_model_source).toBe('self_reported');
  });
});
