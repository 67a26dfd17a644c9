import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A runtime binary installed by a devDependency (`bun`, `deno`, `workerd`). */
export const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

/** The smoke script Node, Bun and Deno run. */
export const SMOKE_SCRIPT = join(ROOT, 'test/runtimes/fixtures/smoke.mjs');

const tempDirs: string[] = [];

/** A new directory under the system temp dir, removed by {@link removeTempDirs}. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every directory the helpers made. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** What a finished child process did. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

/** Runs a command to completion, killed after `timeoutMs`. */
export function run(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/**
 * A throwaway project whose `node_modules` holds the built package, with `posthog-node` linked to
 * `posthog-node-lowest`: the package as a user with the lowest admitted posthog-node installs it. Returns the
 * `file:` URL of its ESM entry.
 */
export function lowestPeerConsumer(): string {
  return pathToFileURL(join(lowestPeerProject(), 'node_modules/posthog-mcp-analytics/dist/index.mjs')).href;
}

/** The directory of a {@link lowestPeerConsumer} project. */
export function lowestPeerProject(): string {
  const dir = tempDir('posthog-mcp-lowest-');
  const modules = join(dir, 'node_modules');
  const own = join(modules, 'posthog-mcp-analytics');
  mkdirSync(own, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(own, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(own, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules/posthog-node-lowest'), join(modules, 'posthog-node'), 'dir');
  for (const dependency of ['fnv-plus', 'uuidv7']) {
    symlinkSync(join(ROOT, 'node_modules', dependency), join(modules, dependency), 'dir');
  }
  return dir;
}

/** Fails clearly when `dist/` has not been built. */
export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/index.mjs'))) {
    throw new Error('dist/ is missing: run `npm run test:runtimes`, which builds first');
  }
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/**
 * Bundles `examples/worker.ts` as a Worker (workerd export conditions), with the package taken from the built
 * `dist/index.mjs` as a user's bundler would take it, into a new directory; returns the directory.
 */
export async function bundleWorker(): Promise<string> {
  const dir = tempDir('posthog-mcp-worker-');
  await build({
    entryPoints: [join(ROOT, 'examples/worker.ts')],
    outfile: join(dir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['node:*'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'package-from-dist',
        setup(context) {
          context.onResolve({ filter: /\/src\/index$/ }, () => ({ path: join(ROOT, 'dist/index.mjs') }));
        },
      },
    ],
  });
  return dir;
}

/** Writes a workerd config serving `dir/worker.js` on `port`, sending only to loopback; returns its path. */
export function writeWorkerdConfig(dir: string, port: number, posthogHost: string): string {
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    (name = "POSTHOG_API_KEY", text = "phc_smoke"),
    (name = "POSTHOG_HOST", text = ${JSON.stringify(posthogHost)}),
  ],
  globalOutbound = "loopback",
);
`;
  const path = join(dir, 'config.capnp');
  writeFileSync(path, config);
  return path;
}
