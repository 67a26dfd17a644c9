import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:runtimes`: the runtime smoke tests (Node, Bun, Deno, workerd against the built `dist/`), and
 * the wire tests again with `posthog-node` resolved to the lowest version the peer range admits. The files
 * here end in `.smoke.ts`, so the default `npm test` never collects them.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'runtimes',
          include: ['test/runtimes/*.smoke.ts'],
          exclude: ['test/runtimes/lowest-peer.smoke.ts'],
        },
      },
      {
        extends: true,
        // `posthog-node-lowest` is the devDependency alias `npm:posthog-node@<peer floor>`.
        resolve: { alias: [{ find: /^posthog-node$/, replacement: 'posthog-node-lowest' }] },
        test: {
          name: 'lowest-peer',
          include: [
            'test/runtimes/lowest-peer.smoke.ts',
            'test/client-*.test.ts',
            'test/steps-*.test.ts',
            'test/router-*.test.ts',
            'test/examples-serverless.test.ts',
          ],
        },
      },
    ],
  },
});
