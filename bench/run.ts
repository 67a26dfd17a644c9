/**
 * The overhead benchmark: floor (raw posthog-node `capture()`), peer (`@posthog/mcp`) and ours, side by
 * side, against a local ingestion server in a child process. `BENCH_QUICK=1` runs one short round.
 * Run with `npm run bench` (node --expose-gc --import tsx bench/run.ts).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { canForceGc, observeGc, startIngestServer, stopObservingGc } from './measure';
import { runMemory } from './memory';
import { runRedaction } from './redaction';
import { type RunResults, renderReport } from './report';
import { type EventResult, runEventScenario, runSyncScenario, type SyncResult } from './rounds';
import { eventScenarios, syncScenarios } from './scenarios';

const quick = process.env.BENCH_QUICK === '1';
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 12));
const burst = Number(process.env.BENCH_BURST ?? 10);
const only = process.env.BENCH_ONLY;

function machine(): string[] {
  let cpu = 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: leave the model unknown.
  }
  return [`CPU: ${cpu}`, `cores (nproc): ${availableParallelism()}`, `node ${process.version}`];
}

const progress = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

async function main(): Promise<void> {
  if (!canForceGc) progress('note: run with --expose-gc for retained-heap numbers (npm run bench does)');
  const server = await startIngestServer();
  observeGc();
  try {
    const settings = { host: server.url, quick };
    const events: EventResult[] = [];
    for (const scenario of await eventScenarios(settings)) {
      if (only && !scenario.name.includes(only)) continue;
      progress(`event scenario: ${scenario.name}`);
      events.push(await runEventScenario(scenario, server, { rounds, burst }));
    }
    const sync: SyncResult[] = [];
    for (const scenario of syncScenarios(settings)) {
      if (only && !scenario.name.includes(only)) continue;
      progress(`step scenario: ${scenario.name}`);
      sync.push(await runSyncScenario(scenario, Math.max(rounds, 3)));
    }
    const wants = (section: string): boolean => !only || section.includes(only);
    progress('redaction passes');
    const redaction = wants('redaction') ? runRedaction(quick) : [];
    progress('memory');
    const memory = wants('memory')
      ? await runMemory(server, quick)
      : { steady: { every: 0, samples: [] }, down: { every: 0, samples: [], maxQueueSize: 0 } };
    const results: RunResults = {
      machine: machine(),
      settings: `${quick ? 'BENCH_QUICK=1, ' : ''}${rounds} interleaved rounds after one warm-up round, ${burst} calls per event-loop turn, ${new Date().toISOString()}`,
      events,
      sync,
      redaction,
      memory,
    };
    const report = renderReport(results);
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}latest.md`, `# Benchmark results\n\n${report}`);
    await writeFile(
      `${dir}latest.json`,
      JSON.stringify({ quick, rounds, burst, events, sync, redaction, memory }),
    );
    process.stdout.write(`${report}\n`);
    const invalid = [...events].some((r) => r.problems.length > 0);
    if (invalid) process.exitCode = 2;
  } finally {
    stopObservingGc();
    server.stop();
  }
}

await main();
