import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Package from '../src/index';

/** `BENCH_OURS=<file>`: another build of this package to measure as ours (such as `bench/ablate.ts`'s copy). */
const OTHER = process.env.BENCH_OURS;
if (OTHER !== undefined && !existsSync(OTHER)) throw new Error(`BENCH_OURS: no file ${OTHER}`);
const DIST = OTHER ? pathToFileURL(resolve(OTHER)) : new URL('../dist/index.mjs', import.meta.url);

/**
 * This package as users run it: the built `dist/` when it exists (`npm run bench` builds it first), so the
 * column compares compiled code with the peer's compiled code; the TypeScript sources otherwise (the smoke test).
 */
export const ours: typeof Package = existsSync(fileURLToPath(DIST))
  ? ((await import(DIST.href)) as typeof Package)
  : await import('../src/index');

/** Which build the `ours` column measured, for the report. */
export const OURS_BUILD = existsSync(fileURLToPath(DIST))
  ? `${OTHER ?? 'dist/index.mjs'} (built)`
  : 'src/ (tsx)';
