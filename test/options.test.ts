import { describe, expect, it } from 'vitest';
import { PostHogMCP, type PostHogMCPOptions } from '../src/index.js';
import { TEST_API_KEY, useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();

/** Options deliberately of the wrong type, as plain JavaScript callers can pass them. */
function construct(options: Record<string, unknown>): PostHogMCP {
  return new PostHogMCP('phc_test', options as PostHogMCPOptions);
}

const badOptions: [string, Record<string, unknown>, string][] = [
  ['an empty serverBuild', { serverBuild: '' }, 'serverBuild'],
  ['a 257-character serverBuild', { serverBuild: 'b'.repeat(257) }, 'serverBuild'],
  ['a numeric serverBuild', { serverBuild: 42 }, 'serverBuild'],
  ['a non-string serverName', { serverName: 7 }, 'serverName'],
  ['a non-function beforeSend', { beforeSend: 'drop' }, 'beforeSend'],
  ['a non-function intentFallback', { intentFallback: {} }, 'intentFallback'],
  ['an unknown captureParameters value', { captureParameters: 'values' }, 'captureParameters'],
  ['a numeric captureParameters', { captureParameters: 1 }, 'captureParameters'],
  ['an unknown logger', { logger: 'stdout' }, 'logger'],
  ['an object logger', { logger: {} }, 'logger'],
  ['a non-object inputAliases', { inputAliases: 'q' }, 'inputAliases'],
  ['an inputAliases entry that is not an object', { inputAliases: { search: ['q'] } }, 'inputAliases'],
  ['inputAliases naming a non-array', { inputAliases: { search: { query: 'q' } } }, 'inputAliases'],
  ['inputAliases with a non-string alias', { inputAliases: { search: { query: [1] } } }, 'inputAliases'],
  ['a non-boolean mcpExceptionAutocapture', { mcpExceptionAutocapture: 'yes' }, 'mcpExceptionAutocapture'],
  ['a non-boolean captureResponse', { captureResponse: 0 }, 'captureResponse'],
  ['an empty missingCapabilityToolName', { missingCapabilityToolName: '' }, 'missingCapabilityToolName'],
  ['a numeric collectFeedback', { collectFeedback: 3 }, 'collectFeedback'],
];

const collidingExtras = [
  'summary',
  'type',
  'tool',
  'context',
  'llm_model',
  'feedback_type',
  'conversation_id',
];

describe('MCP option validation', () => {
  it.each(badOptions)('%s throws a TypeError naming the option', (_label, options, name) => {
    expect(() => construct(options)).toThrow(TypeError);
    expect(() => construct(options)).toThrow(name);
  });

  it.each(collidingExtras)('a collectFeedback extra named %s is rejected as colliding', (name) => {
    const options = { collectFeedback: { extraProperties: { [name]: { type: 'string' } } } };
    expect(() => construct(options)).toThrow(TypeError);
    expect(() => construct(options)).toThrow('collectFeedback');
  });

  it('a collectFeedback extraRequired naming an undeclared extra is rejected', () => {
    const options = { collectFeedback: { extraProperties: {}, extraRequired: ['ticket'] } };
    expect(() => construct(options)).toThrow(/collectFeedback\.extraRequired/);
  });

  it('good MCP options construct a client', async () => {
    const client = new PostHogMCP('phc_test', {
      serverName: 'docs',
      serverVersion: '1.2.3',
      serverBuild: 'b'.repeat(256),
      context: { description: 'why you call this tool' },
      captureModel: false,
      conversationAnchoring: true,
      intentFallback: () => 'inferred intent',
      captureParameters: 'keys',
      captureResponse: false,
      mcpExceptionAutocapture: false,
      beforeSend: (event) => event,
      reportMissing: true,
      missingCapabilityToolName: 'ask_for_more',
      collectFeedback: {
        toolName: 'tell_us',
        extraProperties: { ticket: { type: 'string' } },
        extraRequired: ['ticket'],
      },
      inputAliases: { search: { query: ['q', 'term'] } },
      logger: () => undefined,
      disabled: true,
    });
    expect(client).toBeInstanceOf(PostHogMCP);
    await client.shutdown();
  });

  it.each([
    ['a one-character serverBuild', { serverBuild: 'x' }],
    ['captureParameters false', { captureParameters: false }],
    ["logger 'stderr'", { logger: 'stderr' }],
    ["logger 'silent'", { logger: 'silent' }],
    ['collectFeedback true', { collectFeedback: true }],
    ['no options at all', {}],
  ])('%s constructs', async (_label, options) => {
    const client = construct({ ...options, disabled: true });
    await client.shutdown();
  });

  it('posthog-node options still apply: host, api key, compression and batch size are honoured', async () => {
    const { server } = wire;
    const client = wire.client({
      disableCompression: true,
      flushAt: 1,
      maxBatchSize: 1,
      serverName: 'docs',
    });
    client.capture({ distinctId: 'host-user', event: 'host_event' });
    client.captureToolCall({ toolName: 'search', durationMs: 1 });
    await client.shutdown();

    expect(server.bodies[0]?.api_key).toBe(TEST_API_KEY);
    expect(server.encodings.every((encoding) => encoding === undefined)).toBe(true);
    expect(server.bodies.map((body) => body.batch.length)).toEqual([1, 1]);
    expect(server.eventsNamed('host_event')).toHaveLength(1);
    expect(server.eventsNamed('$mcp_tool_call')[0]?.properties.$mcp_server_name).toBe('docs');
  });

  it('MCP options are not passed through to posthog-node as unknown options', async () => {
    const client = wire.client({ serverName: 'docs' });
    expect(client.options).not.toHaveProperty('serverName');
    await client.shutdown();
  });
});
