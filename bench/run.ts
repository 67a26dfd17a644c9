/**
 * The overhead benchmark: floor (raw posthog-node `capture()`), peer (`@posthog/mcp`) and ours, side by
 * side, against a local ingestion server in a child process. Run with `npm run bench` (node --expose-gc
 * --import tsx bench/run.ts); `npm run bench -- --quick --only=small,error` runs 3 short rounds of two
 * scenarios. Options (or environment): `--quick` (BENCH_QUICK=1), `--rounds=N` (BENCH_ROUNDS),
 * `--burst=N` (BENCH_BURST), `--only=a,b*` (BENCH_ONLY; exact scenario or section names, `*` for a prefix).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { selected } from './columns';
import { canForceGc, observeGc, startIngestServer, stopObservingGc } from './measure';
import { runMemory } from './memory';
import { OURS_BUILD } from './ours';
import { runRedaction } from './redaction';
import { type RunResults, renderReport } from './report';
import { type EventResult, runEventScenario, runSyncScenario, type SyncResult } from './rounds';
import { eventScenarios } from './scenarios';
import { syncScenarios } from './steps';

/** `--name=value` or `--name` from the command line, else the environment variable. */
function option(name: string, env: string): string | undefined {
  for (const arg of process.argv.slice(2)) {
    if (arg === `--${name}`) return '1';
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return process.env[env];
}

const quick = option('quick', 'BENCH_QUICK') === '1';
const rounds = Number(option('rounds', 'BENCH_ROUNDS') ?? (quick ? 3 : 12));
const burst = Number(option('burst', 'BENCH_BURST') ?? 10);
const only = option('only', 'BENCH_ONLY')
  ?.split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');

function machine(): string[] {
  let cpu = 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: leave the model unknown.
  }
  return [
    `CPU: ${cpu}`,
    `cores (nproc): ${availableParallelism()}`,
    `node ${process.version}`,
    `ours: ${OURS_BUILD}`,
  ];
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
    for (const scenario of await eventScenarios(settings, only)) {
      progress(`event scenario: ${scenario.name}`);
      events.push(await runEventScenario(scenario, server, { rounds, burst }));
    }
    const sync: SyncResult[] = [];
    for (const scenario of syncScenarios(settings)) {
      if (!selected(scenario.name, only) && !selected('steps', only)) continue;
      progress(`step scenario: ${scenario.name}`);
      sync.push(await runSyncScenario(scenario, Math.max(rounds, 3)));
    }
    const wants = (section: string): boolean => selected(section, only);
    if (wants('redaction')) progress('redaction passes');
    const redaction = wants('redaction') ? runRedaction(quick) : [];
    if (wants('memory')) progress('memory');
    const memory = wants('memory')
      ? await runMemory(server, quick)
      : { steady: { every: 0, samples: [] }, down: { every: 0, samples: [], maxQueueSize: 0 } };
    const results: RunResults = {
      machine: machine(),
      settings: `${quick ? 'quick, ' : ''}${only ? `only ${only.join(',')}, ` : ''}${rounds} interleaved rounds after one warm-up round, ${burst} calls per event-loop turn, ${new Date().toISOString()}`,
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
      JSON.stringify({ quick, rounds, burst, only, events, sync, redaction, memory }),
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
