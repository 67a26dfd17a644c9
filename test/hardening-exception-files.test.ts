import { readFileSync, statSync, utimesSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestedEvent } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

interface Frame {
  filename?: string;
  function?: string;
  lineno?: number;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
}
interface Entry {
  type: string;
  value: string;
  stacktrace?: { frames: Frame[] };
}

const wire = useIngestionServer();
const CANARY = 'canary';
const OLD = new Date('2001-01-01T00:00:00Z');
/** Sentinel files an attacker would name: scripts, dotfiles, extension-less and data files. */
const SENTINELS = ['secret.js', 'module.mjs', 'config.ts', 'environ', '.env', 'passwd.txt', 'data.json'];

let dir = '';
let atimeWorks = false;
const paths = (): string[] => SENTINELS.map((name) => join(dir, name));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phmcp-exc-files-'));
  const body = Array.from({ length: 30 }, (_, line) => `${CANARY} words on line ${line + 1}`).join('\n');
  for (const path of [...paths(), join(dir, 'control')]) {
    await writeFile(path, body);
    utimesSync(path, OLD, new Date());
  }
  // relatime updates the access time on a read when it is older than the change time; noatime never does.
  readFileSync(join(dir, 'control'));
  atimeWorks = statSync(join(dir, 'control')).atimeMs > OLD.getTime();
});

beforeEach(() => {
  for (const path of paths()) utimesSync(path, OLD, statSync(path).mtime);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Stack-frame lines naming `path`, in the forms V8 and other engines write, and malformed near-misses. */
function frameLines(path: string): string[] {
  return [
    `    at a (${path}:5:1)`,
    `    at ${path}:6:1`,
    `    at async fetchRows (${path}:7:3)`,
    `    at new Repository (${path}:8:5)`,
    `    at Object.<anonymous> (file://${path}:9:2)`,
    `at bare (${path}:10:1)`,
    `\tat tabbed (${path}:11:1)`,
    `handler@${path}:12:4`,
    `    at Promise.all (index 0) (${path}:13:1)`,
  ];
}

const crafted = (): string => ['stop', ...paths().flatMap(frameLines)].join('\n');

/** Ways client text reaches a thrown value's message, name, cause, members or stack. */
const VEHICLES: [string, (text: string) => unknown][] = [
  ['an error message', (text) => new Error(text)],
  ['a message echoing an argument after other lines', (text) => new Error(`Invalid query:\nfirst\n${text}`)],
  ['a subclass message with trailing text', (text) => new TypeError(`${text}\ntrailing words`)],
  [
    'a name holding frame text',
    (text) => {
      const error = new Error('named');
      error.name = `Boom\n${text}`;
      return error;
    },
  ],
  [
    'a cause chain',
    (text) => new Error('outer', { cause: new Error('middle', { cause: new RangeError(text) }) }),
  ],
  ['aggregate members', (text) => new AggregateError([new Error(text), text, { message: text }], text)],
  [
    'a non-error object with a stack string',
    (text) => ({ name: 'Oops', message: text, stack: `Oops: x\n${text}` }),
  ],
  ['an object wrapping an error', (text) => ({ error: new Error(text), stack: text })],
  ['a thrown string', (text) => text],
  [
    'a host-set stack of text',
    (text) => {
      const error = new Error('host');
      error.stack = text;
      return error;
    },
  ],
  [
    'a host-set stack in V8 form naming non-script files',
    (text) => {
      const error = new Error('host');
      const lines = text.split('\n').filter((line) => !/\.(?:js|mjs|ts)\b/.test(line));
      error.stack = `Error: host\n${lines.slice(1).join('\n')}`;
      return error;
    },
  ],
  [
    'a message changed after the stack was read',
    (text) => {
      const error = new Error(text);
      void error.stack;
      error.message = 'changed';
      return error;
    },
  ],
  [
    'an error from another realm',
    (text) => vm.runInNewContext('try { throw new Error(text) } catch (e) { e }', { text }),
  ],
];

function exceptionEntries(): Entry[] {
  return wire.server
    .eventsNamed('$exception')
    .flatMap((event) => event.properties.$exception_list as Entry[]);
}

function framesOf(entries: Entry[]): Frame[] {
  return entries.flatMap((entry) => entry.stacktrace?.frames ?? []);
}

function expectNoFileRead(framesFromText = false): void {
  expect(JSON.stringify(wire.server.bodies)).not.toContain(CANARY);
  for (const frame of framesFromText ? [] : framesOf(exceptionEntries())) {
    expect(frame.filename ?? '').not.toContain('phmcp-exc-files-');
    expect(frame.function ?? '').not.toContain('phmcp-exc-files-');
  }
  if (!atimeWorks) return;
  for (const path of paths()) expect(statSync(path).atimeMs, path).toBe(OLD.getTime());
}

describe('no file is opened because of text in an error', () => {
  it.each(VEHICLES)('text in %s names no frame and opens no file', async (name, vehicle) => {
    const client = wire.client();
    client.captureToolCall({ toolName: 'search', error: vehicle(crafted()) });
    await client.shutdown();

    expect(wire.server.eventsNamed('$exception')).toHaveLength(1);
    // A stack a host writes in V8's own form is taken as V8's: its frames stay, yet no data file is opened.
    expectNoFileRead(name.includes('V8 form'));
  });

  it('a tool that echoes a crafted argument into its error keeps its real frames and only those', async () => {
    const client = wire.client();
    const call = client.prepareToolCall('search', { query: crafted() });
    const failWithQuery = (query: unknown): never => {
      throw new Error(`Invalid query: ${String(query)}`);
    };
    let thrown: unknown;
    try {
      failWithQuery(call.args.query);
    } catch (error) {
      thrown = error;
    }
    client.completeToolCall(call, { error: thrown });
    await client.shutdown();

    expectNoFileRead();
    const [top] = exceptionEntries();
    expect(top?.value).toContain('Invalid query: stop');
    const frames = top?.stacktrace?.frames ?? [];
    expect(frames.some((frame) => frame.function?.includes('failWithQuery'))).toBe(true);
    expect(frames.every((frame) => frame.filename !== undefined && !frame.filename.includes(dir))).toBe(true);
  });

  it('a real frame naming a non-script file (a vm script given a file name by the client) opens nothing', async () => {
    const client = wire.client();
    const [environ] = paths().filter((path) => path.endsWith('environ'));
    let thrown: unknown;
    try {
      const source = "(function fromVm() { throw new Error('from vm'); })()";
      vm.runInThisContext(source, { filename: environ ?? '', displayErrors: false });
    } catch (error) {
      thrown = error;
    }
    client.captureToolCall({ toolName: 'run', error: thrown });
    await client.shutdown();

    const frames = framesOf(exceptionEntries());
    expect(frames.some((frame) => frame.function === 'fromVm' && frame.filename?.endsWith('environ'))).toBe(
      true,
    );
    expect(JSON.stringify(wire.server.bodies)).not.toContain(CANARY);
    if (atimeWorks) expect(statSync(environ ?? '').atimeMs).toBe(OLD.getTime());
  });

  it('a cancellation reason and a JSON-RPC error message carry no frames and open no file', async () => {
    const client = wire.client();
    const waiting = new Map<unknown, () => void>();
    const handle = client.instrumentRouter(
      (message: unknown) => {
        const { id, params } = message as { id: string; params: { name: string } };
        if (params.name === 'slow') return new Promise((resolve) => waiting.set(id, () => resolve({ id })));
        return { jsonrpc: '2.0', id, error: { code: -32603, message: crafted() } };
      },
      { session: () => ({ connection: 'c' }) },
    );
    const call = (id: string, name: string) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name },
    });
    await handle(call('r1', 'broken'), 0);
    const pending = handle(call('r2', 'slow'), 0);
    await handle(
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'r2', reason: crafted() } },
      0,
    );
    waiting.get('r2')?.();
    await pending;
    await client.shutdown();

    const exceptions = wire.server.eventsNamed('$exception');
    expect(
      exceptions.map((event: IngestedEvent) => (event.properties.$exception_list as Entry[])[0]?.type).sort(),
    ).toEqual(['CancelledError', 'JsonRpcError']);
    expect(framesOf(exceptionEntries())).toEqual([]);
    expectNoFileRead();
  });
});

describe('every string of an $exception passes the secret redaction', () => {
  const PASSWORD = ['hunter', '2'].join('');
  const TOKEN = ['phc', 'A1b2C3d4E5f6G7h8I9j0K1l2'].join('_');
  const AWS = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
  const SOURCE = [
    'module.exports = function failNearSecrets() {',
    `  const password = "${PASSWORD}-a";`,
    `  const dbPassword = '${PASSWORD}-b';`,
    `  const config = { apiKey: '${PASSWORD}-c', user: 'admin' };`,
    `  process.env.AWS_SECRET_ACCESS_KEY ??= "${AWS}";`,
    `  const client_secret = \`${PASSWORD}-d\`;`,
    `  const url = 'https://admin:${PASSWORD}-e@db.example.com/app' + '${TOKEN}';`,
    `  const sessionToken = "${PASSWORD}-f";`,
    "  throw new Error('boom');",
    '};',
  ].join('\n');

  it('source lines around a real throw keep their code and lose their secrets', async () => {
    const file = join(dir, 'near-secrets.cjs');
    await writeFile(file, SOURCE);
    const failNearSecrets = createRequire(import.meta.url)(file) as () => never;
    const client = wire.client();
    let thrown: unknown;
    try {
      failNearSecrets();
    } catch (error) {
      thrown = error;
    }
    client.captureToolCall({ toolName: 'search', error: thrown });
    await client.shutdown();

    const frame = framesOf(exceptionEntries()).find((candidate) =>
      candidate.function?.includes('failNearSecrets'),
    );
    expect(frame?.context_line).toContain("throw new Error('boom')");
    expect(frame?.pre_context?.join('\n')).toContain('const password = "[redacted]"');
    expect(frame?.pre_context?.join('\n')).toContain("user: 'admin'");
    const wireText = JSON.stringify(wire.server.bodies);
    for (const secret of [PASSWORD, TOKEN, AWS]) expect(wireText).not.toContain(secret);
  });

  it('a secret in an error type, a function name or a file name is redacted', async () => {
    const tokenDir = join(dir, TOKEN);
    const client = wire.client();
    const named = new Error('typed');
    named.name = `Failure ${TOKEN}`;
    const holder = {
      [TOKEN]: () => {
        throw new Error('from a secret-named function');
      },
    };
    let fromSecretName: unknown;
    try {
      holder[TOKEN]?.();
    } catch (error) {
      fromSecretName = error;
    }
    await writeFile(`${tokenDir}.cjs`, "module.exports = () => { throw new Error('in a secret path'); };");
    let fromSecretPath: unknown;
    try {
      (createRequire(import.meta.url)(`${tokenDir}.cjs`) as () => never)();
    } catch (error) {
      fromSecretPath = error;
    }
    for (const error of [named, fromSecretName, fromSecretPath])
      client.captureToolCall({ toolName: 't', error });
    await client.shutdown();

    expect(wire.server.eventsNamed('$exception')).toHaveLength(3);
    expect(JSON.stringify(wire.server.bodies)).not.toContain(TOKEN);
  });
});
