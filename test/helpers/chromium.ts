import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** Debian's chromium, installed by `.ci/run` when missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser the report tests drive is installed. */
export const hasChromium = existsSync(CHROMIUM);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--remote-debugging-pipe',
];

/** What a page said while loading: console errors and warnings, uncaught exceptions, CSP and network refusals. */
export interface PageProblem {
  source: string;
  text: string;
}

/** What {@link loadInChromium} saw. */
export interface LoadedPage<T> {
  /** The value `inspect` (a page-side expression) evaluated to. */
  value: T;
  problems: PageProblem[];
  /** Requests the page made other than its own file. */
  requests: string[];
}

interface CdpMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** A Chrome DevTools Protocol connection over `--remote-debugging-pipe` (fd 3 in, fd 4 out, NUL-separated JSON). */
class CdpPipe {
  readonly #input: Writable;
  readonly #pending = new Map<number, (message: CdpMessage) => void>();
  readonly #listeners: ((message: CdpMessage) => void)[] = [];
  #nextId = 0;
  #buffer = '';

  constructor(child: ChildProcess) {
    this.#input = child.stdio[3] as Writable;
    const output = child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.#receive(chunk));
    child.once('exit', (code) => {
      const closed: CdpMessage = { error: { message: `chromium exited with ${code}` } };
      for (const settle of [...this.#pending.values()]) settle(closed);
    });
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\0');
    while (end >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as CdpMessage;
      this.#buffer = this.#buffer.slice(end + 1);
      if (message.id !== undefined) this.#pending.get(message.id)?.(message);
      else for (const listener of this.#listeners) listener(message);
      end = this.#buffer.indexOf('\0');
    }
  }

  onEvent(listener: (message: CdpMessage) => void): void {
    this.#listeners.push(listener);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<CdpMessage> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (message) => {
        this.#pending.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message);
      });
      this.#input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  waitFor(method: string, sessionId: string): Promise<CdpMessage> {
    return new Promise((resolve) => {
      this.onEvent((message) => {
        if (message.method === method && message.sessionId === sessionId) resolve(message);
      });
    });
  }
}

function problemOf(message: CdpMessage): PageProblem | undefined {
  const params = message.params ?? {};
  if (message.method === 'Runtime.exceptionThrown') {
    return { source: 'exception', text: JSON.stringify(params.exceptionDetails) };
  }
  if (
    message.method === 'Runtime.consoleAPICalled' &&
    ['error', 'warning', 'assert'].includes(`${params.type}`)
  ) {
    return { source: `console.${params.type}`, text: JSON.stringify(params.args) };
  }
  const entry = params.entry as { level?: string; source?: string; text?: string } | undefined;
  if (message.method === 'Log.entryAdded' && entry && entry.level !== 'verbose' && entry.level !== 'info') {
    return { source: `log.${entry.source}`, text: entry.text ?? '' };
  }
  return undefined;
}

/**
 * Loads `file` in headless chromium at `width` CSS pixels, evaluates `inspect` in the page, and saves a full-page
 * PNG screenshot to `screenshot`.
 */
export async function loadInChromium<T>(options: {
  file: string;
  inspect: string;
  screenshot: string;
  width?: number;
}): Promise<LoadedPage<T>> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const cdp = new CdpPipe(child);
    const created = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const attached = await cdp.send('Target.attachToTarget', {
      targetId: created.result?.targetId,
      flatten: true,
    });
    const session = String(attached.result?.sessionId);
    const problems: PageProblem[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(options.file).href;
    cdp.onEvent((message) => {
      if (message.sessionId !== session) return;
      const problem = problemOf(message);
      if (problem) problems.push(problem);
      const request = (message.params?.request as { url?: string } | undefined)?.url;
      if (message.method === 'Network.requestWillBeSent' && request !== url) requests.push(String(request));
    });
    for (const domain of ['Runtime', 'Log', 'Page', 'Network'])
      await cdp.send(`${domain}.enable`, {}, session);
    const width = options.width ?? 1200;
    const metrics = { width, height: 900, deviceScaleFactor: 1, mobile: false };
    await cdp.send('Emulation.setDeviceMetricsOverride', metrics, session);
    const loaded = cdp.waitFor('Page.loadEventFired', session);
    await cdp.send('Page.navigate', { url }, session);
    await loaded;
    const evaluated = await cdp.send(
      'Runtime.evaluate',
      { expression: options.inspect, returnByValue: true },
      session,
    );
    const layout = await cdp.send('Page.getLayoutMetrics', {}, session);
    const height = Math.ceil(
      (layout.result?.cssContentSize as { height?: number } | undefined)?.height ?? 900,
    );
    await cdp.send('Emulation.setDeviceMetricsOverride', { ...metrics, height }, session);
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png' }, session);
    await writeFile(options.screenshot, Buffer.from(String(shot.result?.data), 'base64'));
    const evaluation = evaluated.result as { result?: { value?: T }; exceptionDetails?: unknown } | undefined;
    if (evaluation?.exceptionDetails) {
      problems.push({ source: 'inspect', text: JSON.stringify(evaluation.exceptionDetails) });
    }
    return { value: evaluation?.result?.value as T, problems, requests };
  } finally {
    if (child.exitCode === null) child.kill();
    await exited;
    // Chromium's helper processes can still be writing to the profile just after the browser exits: retry the
    // removal (ENOTEMPTY) instead of failing the test on cleanup.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
