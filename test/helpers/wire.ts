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
   * `'test'`: a fresh server for each test. `'file'`: one server for the whole file, emptied before each test, for
   * files that start child processes pointed at it in `beforeAll`.
   * @default 'test'
   */
  scope?: 'test' | 'file';
}

/** A local ingestion server for the calling file's tests, and clients pointed at it. */
export interface Wire {
  /** The current ingestion server. */
  readonly server: IngestionServer;
  /** A `PostHogMCP` client sending to the current server; shut down (at most 5 s) after the test. */
  client(options?: Partial<PostHogMCPOptions>): PostHogMCP;
}

/** Starts an ingestion server for the calling file's tests and closes it after them. */
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
  if (scope === 'file') {
    beforeAll(start);
    beforeEach(() => {
      current?.reset();
      if (serverOptions.mode) current?.setMode(serverOptions.mode);
    });
    afterAll(close);
  } else {
    beforeEach(start);
    afterEach(close);
  }
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.shutdown(5_000)));
  });
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
