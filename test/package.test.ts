import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface PackageJson {
  name: string;
  version: string;
  license: string;
  type: string;
  engines: Record<string, string>;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.[cm]?ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file imports, re-exports, requires or imports dynamically. */
function specifiersOf(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1]!);
}

const RUNTIME_IMPORTS = new Set(['posthog-node', 'fnv-plus']);

describe('package.json and the runtime dependency surface', () => {
  it('is the MIT-licensed ESM package posthog-mcp-analytics for the supported Node versions', () => {
    expect(pkg).toMatchObject({ name: 'posthog-mcp-analytics', license: 'MIT', type: 'module' });
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.engines.node).toBe('^20.20.0 || >=22.22.0');
  });

  it('posthog-node ^5 is a peer dependency and a devDependency, never a runtime dependency', () => {
    expect(pkg.peerDependencies).toEqual({ 'posthog-node': expect.stringMatching(/^\^5/) });
    expect(pkg.devDependencies['posthog-node']).toMatch(/^\^5/);
  });

  it('the only runtime dependency is fnv-plus (uuids come from posthog-node, the peer)', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['fnv-plus']);
  });

  it('exports ESM and CommonJS entry points with separate type files', () => {
    expect(pkg.exports['.']).toEqual({
      import: { types: './dist/index.d.mts', default: './dist/index.mjs' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
  });

  it('nothing in src/ imports @modelcontextprotocol', () => {
    const offenders = sourceFiles(join(repoRoot, 'src')).filter((file) =>
      readFileSync(file, 'utf8').includes('@modelcontextprotocol/'),
    );
    expect(offenders.map((file) => relative(repoRoot, file))).toEqual([]);
  });

  it('src/ imports only relative modules, node built-ins, posthog-node and fnv-plus', () => {
    const unexpected: string[] = [];
    for (const file of sourceFiles(join(repoRoot, 'src'))) {
      for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
        const isAllowed =
          specifier.startsWith('.') || specifier.startsWith('node:') || RUNTIME_IMPORTS.has(specifier);
        if (!isAllowed) unexpected.push(`${relative(repoRoot, file)}: ${specifier}`);
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('the import scanner sees the imports it guards against', () => {
    const sample = `import { a } from '@modelcontextprotocol/sdk';\nexport * from "./b";\nconst c = require('zod');\nawait import('left-pad');`;
    expect(specifiersOf(sample)).toEqual(['@modelcontextprotocol/sdk', './b', 'zod', 'left-pad']);
  });
});
