import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The shape of src/: one direction of dependencies, small files, a small public surface. */

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const MAX_FILE_LINES = 250;
const MAX_ROOT_EXPORTS = 50;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC);
const name = (path: string): string => relative(SRC, path).replace(/\.ts$/, '');

/** Every module a file imports or re-exports from, type-only ones included, as src-relative names. */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'";]*?from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => name(resolve(dirname(path), specifier.replace(/\.js$/, ''))));
}

const graph = new Map(files.map((path) => [name(path), importsOf(path)] as const));

function findCycle(): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the source tree', () => {
  it('has no import cycle, type imports included', () => {
    expect(findCycle()).toBeUndefined();
  });

  it('keeps the pipeline pure: it imports only its own stages, events and safe-object', () => {
    const outside = [...graph]
      .filter(([module]) => module.startsWith('pipeline/'))
      .flatMap(([module, imports]) => imports.map((imported) => `${module} -> ${imported}`))
      .filter((edge) => !/-> (pipeline\/|events$|safe-object$)/.test(edge));
    expect(outside).toEqual([]);
  });

  it('lets the router depend on the client only through the interface it declares', () => {
    const routerImports = [...graph].filter(([module]) => module.startsWith('router/')).flatMap(([, i]) => i);
    expect(routerImports).not.toContain('client');
    expect(routerImports).not.toContain('index');
  });

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((path) => [name(path), readFileSync(path, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`exports at most ${MAX_ROOT_EXPORTS} names from the package root`, () => {
    const index = readFileSync(join(SRC, 'index.ts'), 'utf8');
    const names = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
      (m[1] ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    );
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeLessThanOrEqual(MAX_ROOT_EXPORTS);
  });
});
