import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT, PROP } from '../src/index';
import { useIngestionServer } from './helpers/wire';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  peerDependencies: Record<string, string>;
};

interface Snippet {
  source: string;
  name: string;
  code: string;
}

/** The ```ts blocks of the README, each with the `<!-- snippet: file#name -->` marker above it. */
function readmeSnippets(): Snippet[] {
  const blocks = [...README.matchAll(/(?:<!-- snippet: (\S+?)#(\S+?) -->\n)?```ts\n([\s\S]*?)\n```/g)];
  return blocks.map(([, source = '', name = '', code = '']) => ({ source, name, code }));
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** The `// #region readme:<name>` regions of a file, as the README shows them. */
function regionsOf(file: string): Map<string, string> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const regions = new Map<string, string>();
  for (const match of text.matchAll(
    /^[ \t]*\/\/ #region readme:(\S+)\n([\s\S]*?)^[ \t]*\/\/ #endregion readme:\1$/gm,
  )) {
    const body = dedent((match[2] ?? '').replace(/\n$/, ''));
    const published = body
      .replaceAll("'../src/index'", `'${PACKAGE.name}'`)
      .replaceAll("'../src/testing'", `'${PACKAGE.name}/testing'`);
    regions.set(match[1] ?? '', published);
  }
  return regions;
}

function filesWithRegions(): string[] {
  return ['examples', 'test']
    .flatMap((dir) => readdirSync(join(ROOT, dir)).map((file) => `${dir}/${file}`))
    .filter(
      (file) => file.endsWith('.ts') && readFileSync(join(ROOT, file), 'utf8').includes('// #region readme:'),
    );
}

describe('README.md', () => {
  it('has the sections in the agreed order', () => {
    const headings = [...README.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual([
      'Try it',
      'Install',
      'Quick start',
      'API',
      'Options',
      'Events',
      'Sessions',
      'Identity and groups',
      'Privacy',
      'Serverless',
      'Seeing events locally',
      "Migrating from `@posthog/mcp`'s `PostHogMCP`",
      '`$lib` on MCP events only',
      'Delivery and loss',
      'Router middleware',
      'Benchmark',
    ]);
  });

  it.each(readmeSnippets().map((snippet) => [`${snippet.source}#${snippet.name}`, snippet] as const))(
    'the TypeScript block %s is the marked region of a compiled file',
    (_label, snippet) => {
      expect(snippet.source, 'every ```ts block needs a snippet marker').not.toBe('');
      expect(snippet.code).toBe(regionsOf(snippet.source).get(snippet.name));
    },
  );

  it('shows every marked region somewhere', () => {
    const shown = new Set(readmeSnippets().map((snippet) => `${snippet.source}#${snippet.name}`));
    const marked = filesWithRegions().flatMap((file) =>
      [...regionsOf(file).keys()].map((name) => `${file}#${name}`),
    );
    expect(marked.filter((region) => !shown.has(region))).toEqual([]);
  });

  it('the files its TypeScript blocks come from type-check', () => {
    const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
    const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
    const files = [...new Set(readmeSnippets().map((snippet) => join(ROOT, snippet.source)))];
    const program = ts.createProgram(files, config.options);
    const errors = files
      .flatMap((file) => ts.getPreEmitDiagnostics(program, program.getSourceFile(file)))
      .map(
        (d) =>
          `${relative(ROOT, d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    expect(errors).toEqual([]);
  }, 60_000);

  it('its shell commands name real scripts, the package, its peer dependency and its bin', () => {
    const commands = [...README.matchAll(/```sh\n([\s\S]*?)\n```/g)].flatMap((match) =>
      (match[1] ?? '').split('\n'),
    );
    for (const script of commands.flatMap((line) =>
      [...line.matchAll(/npm run (\w+)/g)].map((m) => m[1] ?? ''),
    )) {
      expect(PACKAGE.scripts).toHaveProperty(script);
    }
    expect(commands).toContain(
      `npm install ${PACKAGE.name} ${Object.keys(PACKAGE.peerDependencies).join(' ')}`,
    );
    expect(commands).toContain('npm test');
    const bin = Object.keys(PACKAGE.bin)[0];
    expect(commands).toContainEqual(expect.stringMatching(new RegExp(`^npx ${bin} summarize `)));
  });
});

describe('the quick-start router (examples/readme-router.ts)', () => {
  const wire = useIngestionServer({ scope: 'all' });
  let router: typeof import('../examples/readme-router');
  beforeAll(async () => {
    process.env.POSTHOG_HOST = wire.server.url;
    router = await import('../examples/readme-router');
  });

  it('advertises the injected arguments, answers a call and an unknown tool, and sends their events', async () => {
    const headers = { 'mcp-session-id': 'mcp-session-123', 'user-agent': 'agent/1.0' };
    const list = await router.route({ id: 1, method: 'tools/list' }, headers);
    const args = { query: 'refunds', context: 'find the refund policy', llm_model: 'gpt-5' };
    const call = await router.route(
      { id: 2, method: 'tools/call', params: { name: 'search_docs', arguments: args } },
      headers,
    );
    const unknown = await router.route({ id: 3, method: 'tools/call', params: { name: 'nope' } }, headers);
    await router.posthog.shutdown();

    expect(JSON.stringify(list)).toContain('"context"');
    expect(call).toEqual({ result: { content: [{ type: 'text', text: 'No page matches refunds.' }] } });
    expect(unknown).toEqual({ error: { code: -32602, message: 'Unknown tool: nope' } });
    expect(wire.server.eventsNamed(EVENT.toolCall)[0]?.properties).toMatchObject({
      [PROP.toolName]: 'search_docs',
      [PROP.intent]: 'find the refund policy',
      [PROP.llmModel]: 'gpt-5',
      [PROP.sessionId]: 'ses_ce26563743171e0409e1abaf955778b8',
      [PROP.serverName]: 'docs-server',
    });
    expect(wire.server.eventsNamed(EVENT.unknownTool)[0]?.properties[PROP.toolName]).toBe('nope');
  });
});
