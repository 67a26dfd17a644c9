import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PostHogMCP } from '../src/index.js';
import {
  createTestClientOptions,
  type IngestionServer,
  startIngestionServer,
} from './helpers/ingestion-server.js';

let server: IngestionServer;

beforeEach(async () => {
  server = await startIngestionServer();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
});

function hostileProxy(): object {
  const trap = () => {
    throw new Error('trap');
  };
  return new Proxy(
    {},
    {
      get: trap,
      has: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
      getPrototypeOf: trap,
      set: trap,
      defineProperty: trap,
      deleteProperty: trap,
      apply: trap,
    },
  );
}

function throwingGetters(): object {
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
    Object.defineProperty(value, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key}`);
      },
    });
  }
  return value;
}

const HOSTILE_INPUTS: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 42],
  ['NaN', () => Number.NaN],
  ['a string', () => 'search'],
  ['an array', () => ['search', { toolName: 'x' }]],
  ['a symbol', () => Symbol('x')],
  ['a function', () => () => 'x'],
  ['a proxy whose traps throw', hostileProxy],
  ['an object with throwing getters', throwingGetters],
  [
    'fields of the wrong types',
    () => ({ toolName: 7, durationMs: 'slow', timestamp: 'now', headers: 5, meta: [] }),
  ],
  [
    'fields holding proxies',
    () => ({
      toolName: 'x',
      parameters: hostileProxy(),
      error: hostileProxy(),
      headers: hostileProxy(),
      meta: hostileProxy(),
      identity: hostileProxy(),
      properties: hostileProxy(),
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
];

type AnyMethod = (...args: unknown[]) => unknown;

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

/** Calls one public method with one input in every argument position it reads. */
function callWith(client: PostHogMCP, method: string, input: unknown): unknown {
  const fn = (client as unknown as Record<string, AnyMethod>)[method]!.bind(client);
  if (method === 'prepareToolList') return [fn(input), fn([input], input)];
  if (method === 'prepareToolCall') return [fn(input, input, input), fn('search', input, input)];
  if (method === 'completeToolCall') {
    const call = client.prepareToolCall('search', {});
    return [fn(input, input), fn(call, input), fn(call, { result: input, error: input, errorType: input })];
  }
  return fn(input);
}

describe('no public method throws into the host', () => {
  it.each(HOSTILE_INPUTS)(
    'every method accepts %s without throwing or writing to stdout',
    async (_label, make) => {
      const stdout = vi.spyOn(process.stdout, 'write');
      const client = new PostHogMCP('phc_test', createTestClientOptions(server));
      const methods = ['prepareToolList', 'prepareToolCall', 'completeToolCall', ...CAPTURE_METHODS];
      for (const method of methods) {
        expect(() => callWith(client, method, make())).not.toThrow();
      }
      await expect(client.flush()).resolves.toBeUndefined();
      await expect(client.shutdown()).resolves.toBeUndefined();
      expect(stdout).not.toHaveBeenCalled();
    },
  );

  it('a hostile error still yields a failed call on the wire', async () => {
    const client = new PostHogMCP('phc_test', createTestClientOptions(server));
    client.captureToolCall({ toolName: 'search', isError: true, error: hostileProxy() });
    client.captureToolCall({ toolName: 'search', error: throwingGetters() });
    await client.shutdown();

    const calls = server.eventsNamed('$mcp_tool_call');
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.properties.$mcp_is_error).toBe(true);
  });

  it('a throwing logger function never reaches the host', async () => {
    const client = new PostHogMCP('phc_test', {
      ...createTestClientOptions(server),
      logger: () => {
        throw new Error('logger broke');
      },
    });
    expect(() => client.captureToolCall(null as never)).not.toThrow();
    expect(() => client.prepareToolList(hostileProxy() as never)).not.toThrow();
    await client.shutdown();
  });
});
