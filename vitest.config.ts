import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure stages and wire tests against a local ingestion server; `npm test`) and `e2e`
 * (child processes, the official MCP client, hardening under load; `npm run test:e2e`). CI runs both.
 */
const E2E = [
  'test/hardening-*.test.ts',
  'test/e2e-*.test.ts',
  'test/examples-*.test.ts',
  'test/demo.test.ts',
  'test/cli.test.ts',
  'test/stdout.test.ts',
  'test/router-e2e.test.ts',
  'test/bench-smoke.test.ts',
  'test/readme-quick-start.test.ts',
  'test/report-browser.test.ts',
  'test/logger.test.ts',
  'test/cli-pipe.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...E2E, 'test/runtimes/**'] },
      },
      { extends: true, test: { name: 'e2e', include: E2E, testTimeout: 120_000, hookTimeout: 60_000 } },
    ],
  },
});
