import { afterEach, beforeEach } from 'vitest';
import { PostHogMCP, type PostHogMCPOptions } from '../../src/index.js';
import { createTestClientOptions, type IngestionServer, startIngestionServer } from './ingestion-server.js';

/** A fresh local ingestion server around each test, and clients pointed at it. */
export interface Wire {
  /** The current test's ingestion server. */
  readonly server: IngestionServer;
  /** A `PostHogMCP` client sending to the current server. */
  client(options?: Partial<PostHogMCPOptions>): PostHogMCP;
}

/** Starts an ingestion server before each test of the calling file and closes it after. */
export function useIngestionServer(): Wire {
  let current: IngestionServer | undefined;
  beforeEach(async () => {
    current = await startIngestionServer();
  });
  afterEach(async () => {
    await current?.close();
  });
  const server = (): IngestionServer => {
    if (!current) throw new Error('the ingestion server runs only inside a test');
    return current;
  };
  return {
    get server() {
      return server();
    },
    client: (options = {}) =>
      new PostHogMCP('phc_test', { ...createTestClientOptions(server()), ...options }),
  };
}
