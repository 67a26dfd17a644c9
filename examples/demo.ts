import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { dirname, join, relative, resolve } from 'node:path';
import { createHtmlReport } from '../src/cli/html-report';
import { formatEventLine, formatSummary, summarizeEvents } from '../src/cli/summary';
import type { PostHogMCP } from '../src/index';
import type { SinkEvent } from '../src/testing';
import { startLocalIngestion } from './demo-ingestion';
import { runStatelessHttpSession, runStdioSession } from './demo-session';
import { start as startHttpRouter } from './http-router';
import { createAnalytics } from './tools';

/** The demo must finish well within 30 seconds; past this it reports and exits. */
const WATCHDOG_MS = 25_000;
const OFFLINE_KEY = 'phc_local_demo';

const say = (line: string) => process.stdout.write(`${line}\n`);
const step = (line: string) => say(`  ${line}`);

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

function isAlive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function shortPath(file: string): string {
  const path = relative(process.cwd(), file);
  return path.startsWith('..') ? file : path;
}

function byTimestamp(a: SinkEvent, b: SinkEvent): number {
  return String(a.timestamp ?? '').localeCompare(String(b.timestamp ?? ''));
}

/** Runs the stateless HTTP part in-process against the local ingestion endpoint; resolves to diagnostics. */
async function runHttpPart(host: string, apiKey: string): Promise<ReturnType<PostHogMCP['mcpDiagnostics']>> {
  const posthog = createAnalytics('demo-http-server', { host, logger: 'stderr' });
  const { url, server } = await startHttpRouter(0, { posthog, stateless: true });
  say(
    `\nHTTP: examples/http-router.ts on ${url} (stateless, revision 2026-07-28), key ${apiKey.slice(0, 8)}…`,
  );
  await runStatelessHttpSession(url, step);
  await closeServer(server);
  await posthog.shutdown();
  return posthog.mcpDiagnostics();
}

async function main(): Promise<void> {
  const apiKey = process.env.POSTHOG_API_KEY;
  const upstream = apiKey ? (process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com') : undefined;
  const outFile = resolve(process.env.DEMO_EVENTS_FILE ?? 'events.jsonl');
  const ingestion = await startLocalIngestion(upstream);
  say(
    upstream
      ? `posthog-mcp-analytics demo: ONLINE, sending to ${upstream} (POSTHOG_API_KEY is set), relayed through ${ingestion.url} so the events can be shown here`
      : `posthog-mcp-analytics demo: offline, PostHog is replaced by a local ingestion server at ${ingestion.url}; nothing leaves this machine (set POSTHOG_API_KEY to send to your project)`,
  );
  const key = apiKey ?? OFFLINE_KEY;
  const env = {
    ...(process.env as Record<string, string>),
    POSTHOG_API_KEY: key,
    POSTHOG_HOST: ingestion.url,
  };

  say('\nstdio: examples/stdio-router.ts as a child process, driven by the official MCP client');
  const pid = await runStdioSession(env, step);
  const childAlive = isAlive(pid);
  step(`child process ${pid} ${childAlive ? 'is STILL RUNNING' : 'flushed its analytics and exited'}`);
  if (childAlive) process.exitCode = 1;
  const diagnostics = await runHttpPart(ingestion.url, key);
  await ingestion.close();

  const events = [...ingestion.events].sort(byTimestamp);
  say(`\nEvents ${upstream ? 'sent to PostHog' : 'PostHog would receive'} (${events.length}):`);
  for (const event of events) step(formatEventLine(event));
  say(`\nSummary:\n${formatSummary(summarizeEvents(events))}`);
  say(
    `\nDiagnostics of the HTTP server's client (posthog.mcpDiagnostics()):\n${JSON.stringify(diagnostics, null, 2)}`,
  );
  await writeFile(outFile, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  const shown = shortPath(outFile);
  say(`\nWrote ${events.length} events to ${shown}; summarize it again with: npm run summarize -- ${shown}`);
  const reportFile = join(dirname(outFile), 'report.html');
  await writeFile(reportFile, createHtmlReport(events, { source: shown }));
  say(`Wrote the HTML report to ${shortPath(reportFile)}; open it in a browser.`);
  if (ingestion.failures.length > 0) {
    say(`PostHog refused ${ingestion.failures.length} request(s): ${ingestion.failures.join('; ')}`);
    process.exitCode = 1;
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write(`demo: still running after ${WATCHDOG_MS} ms, giving up\n`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
