import { defineConfig } from 'tsdown';

/**
 * Two separate builds, so the library and the CLI share no chunk: the CommonJS entry then exports only the
 * package's API (no bundler helpers), and the CLI ships no (empty) type declarations.
 */
export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    target: 'node20',
    clean: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    platform: 'node',
    target: 'node20',
    clean: true,
  },
]);
