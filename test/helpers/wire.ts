import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { PostHogMCP, type PostHogMCPOptions } from '../../src/index.js';
import {
  createTestClientOptions,
  type IngestionServer,
  type IngestionServerOptions,
  startIngestionServer,
} from './ingestion-server.js';

/** The project key every test client sends. */
export const TEST_API_KEY = 'phc_test';

/** A `PostHogMCP` client sending to `server` with the test delivery options, plus `options`. */
export function clientFor(server: Pick<IngestionServer, 'url'>, options: PostHogMCPOptions = {}): PostHogMCP {
  return new PostHogMCP(TEST_API_KEY, { ...createTestClientOptions(server), ...options });
}

/** Options for {@link useIngestionServer}. */
export interface WireOptions extends IngestionServerOptions {
  /**
   * `'test'`: a fresh server for each test. `'all'`: one server for all tests of the enclosing file or `describe`,
   * kept across them, for suites that drive child processes once in `beforeAll` and assert in several tests.
   * @default 'test'
   */
  scope?: 'test' | 'all';
}

/** A local ingestion server for the calling file's tests, and clients pointed at it. */
export interface Wire {
  /** The current ingestion server. */
  readonly server: IngestionServer;
  /** A `PostHogMCP` client sending to the current server; shut down (waiting at most 1 s) when the server closes. */
  client(options?: Partial<PostHogMCPOptions>): PostHogMCP;
}

/** Starts an ingestion server for the tests of the calling file (or `describe`) and closes it after them. */
export function useIngestionServer(options: WireOptions = {}): Wire {
  const { scope = 'test', ...serverOptions } = options;
  let current: IngestionServer | undefined;
  const clients: PostHogMCP[] = [];
  const start = async (): Promise<void> => {
    current = await startIngestionServer(serverOptions);
  };
  const close = async (): Promise<void> => {
    await current?.close();
    current = undefined;
  };
  const shutDownClients = async (): Promise<void> => {
    await Promise.all(clients.splice(0).map((client) => client.shutdown(1_000)));
  };
  // Hooks after a test run in reverse order: clients shut down, then the server closes.
  if (scope === 'all') {
    beforeAll(start);
    afterAll(close);
    afterAll(shutDownClients);
  } else {
    beforeEach(start);
    afterEach(close);
    afterEach(shutDownClients);
  }
  const server = (): IngestionServer => {
    if (!current) throw new Error('the ingestion server runs only inside a test');
    return current;
  };
  return {
    get server() {
      return server();
    },
    client: (clientOptions = {}) => {
      const client = clientFor(server(), clientOptions);
      clients.push(client);
      return client;
    },
  };
}
