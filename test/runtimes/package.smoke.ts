import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, lowestPeerProject, ROOT, removeTempDirs, run } from './helpers.js';

interface PackedFile {
  path: string;
  size: number;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

beforeAll(() => assertBuilt());
afterAll(() => removeTempDirs());

describe('what npm pack ships', () => {
  it('a fresh clone packs dist/: prepack builds it', () => {
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  it('ships the entries, their declarations and the CLI, and no empty declaration file', async () => {
    const packed = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {});
    expect(packed.code).toBe(0);
    const [report] = JSON.parse(packed.stdout) as [{ files: PackedFile[] }];
    const dist = report.files.filter((file) => file.path.startsWith('dist/'));
    expect(dist.map((file) => file.path).sort()).toEqual([
      'dist/cli.mjs',
      'dist/index.cjs',
      'dist/index.d.cts',
      'dist/index.d.mts',
      'dist/index.mjs',
      'dist/testing.cjs',
      'dist/testing.d.cts',
      'dist/testing.d.mts',
      'dist/testing.mjs',
    ]);
    for (const file of dist.filter((entry) => /\.d\.[cm]?ts$/.test(entry.path))) {
      expect(readFileSync(join(ROOT, file.path), 'utf8')).toMatch(/\bexport\b/);
    }
  });

  it('the CommonJS entry exports exactly what the ESM entry exports: no bundler helpers', async () => {
    const cjs = createRequire(import.meta.url)(join(ROOT, 'dist/index.cjs')) as Record<string, unknown>;
    const esm = (await import(pathToFileURL(join(ROOT, 'dist/index.mjs')).href)) as Record<string, unknown>;
    const names = (module: Record<string, unknown>) => Object.keys(module).filter((key) => key !== 'default');
    expect(names(cjs).sort()).toEqual(names(esm).sort());
    expect(names(cjs).filter((key) => key.startsWith('__'))).toEqual([]);
    expect(typeof cjs.PostHogMCP).toBe('function');
  });
});

const CONSUMER = `import { PostHogMCP, type PostHogMCPOptions } from 'posthog-mcp-analytics';
const options: PostHogMCPOptions = { host: 'http://127.0.0.1:1', waitUntil: () => undefined, serverName: 'x' };
const posthog = new PostHogMCP('phc_x', options);
posthog.capture({ distinctId: 'host-user', event: 'signed_up' });
const call = posthog.prepareToolCall('search', { query: 'q' });
posthog.completeToolCall(call, { result: { content: [] } });
export const done: Promise<void> = posthog.shutdown();
`;

describe('the declarations against the lowest posthog-node the peer range admits', () => {
  it('a strict consumer compiles, library checks on, with no error in this package or its own code', async () => {
    const dir = lowestPeerProject();
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      'false',
      '--module',
      'nodenext',
      '--target',
      'es2022',
    ];
    const typeRoots = ['--typeRoots', join(ROOT, 'node_modules/@types'), '--types', 'node'];
    const result = await run(process.execPath, [tsc, ...args, ...typeRoots, join(dir, 'consumer.ts')], {});
    // posthog-node's own express extension declarations need @types/express, with any posthog-node version.
    const ours = result.stdout.split('\n').filter((line) => /consumer\.ts|posthog-mcp-analytics/.test(line));
    expect(ours).toEqual([]);
  });
});
