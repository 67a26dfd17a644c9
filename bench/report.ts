/** Turns the measurements into the markdown report: targets first, then details per section. */

import { IMPLS, type Impl, median, quantile, spread } from './measure';
import type { MemoryResult } from './memory';
import { type PassResult, SIZES } from './redaction';
import type { EventResult, SyncResult } from './rounds';
import { opRatios, opRoundMedians, pairedCpuRatios, pairedRatios, ratio, targetTable } from './targets';

/** Everything one run measured. */
export interface RunResults {
  machine: string[];
  settings: string;
  events: EventResult[];
  sync: SyncResult[];
  redaction: PassResult[];
  memory: MemoryResult;
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const kb = (bytes: number): string => fmt(bytes / 1024, 0);
const mb = (bytes: number): string => fmt(bytes / 1024 / 1024, 2);

const allSync = (result: EventResult, impl: Impl): number[] => result.samples[impl].flatMap((s) => s.syncUs);
const perCall = (result: EventResult, impl: Impl): string => {
  const sync = allSync(result, impl);
  return `${fmt(median(sync))} / ${fmt(quantile(sync, 0.99))}`;
};

function eventTables(results: RunResults): string[] {
  const all = results.events;
  const three = (f: (impl: Impl) => string): string => IMPLS.map(f).join(' / ');
  const wall = all.map((r) => {
    const med = (impl: Impl): string => fmt(median(r.samples[impl].map((s) => s.wallUsPerEvent)));
    const ok = r.problems.length === 0 ? 'valid' : '**INVALID**';
    return `| ${r.name} | ${r.calls}×${r.eventsPerCall} | ${ratio(spread(pairedRatios(r, 'ours', 'floor')))} | ${ratio(spread(pairedRatios(r, 'ours', 'peer')))} | ${ratio(spread(pairedRatios(r, 'peer', 'floor')))} | ${three(med)} | ${ok} |`;
  });
  const cost = all.map((r) => {
    const cpu = (impl: Impl): string => fmt(median(r.samples[impl].map((s) => s.cpuUsPerEvent)));
    const gc = (impl: Impl): string => fmt(100 * median(r.samples[impl].map((s) => s.gcShare)));
    const heap = (impl: Impl): string => kb(median(r.samples[impl].map((s) => s.retainedBytes)));
    return `| ${r.name} | ${three(cpu)} | ${ratio(spread(pairedCpuRatios(r, 'ours', 'peer')))} | ${three((i) => perCall(r, i))} | ${three(gc)} | ${three(heap)} |`;
  });
  return [
    '| scenario | calls×events per round | wall ours ÷ floor | wall ours ÷ peer | wall peer ÷ floor | wall µs/event floor / peer / ours | events |',
    '|---|---|---|---|---|---|---|',
    ...wall,
    '',
    '| scenario | CPU µs/event floor / peer / ours | CPU ours ÷ peer | sync µs per call, median / p99 (floor; peer; ours) | GC % of wall | retained heap KB |',
    '|---|---|---|---|---|---|',
    ...cost,
  ];
}

/** Synchronous µs per operation, per column, and ours' operations against the floor's `capture()`. */
function opTable(results: RunResults): string[] {
  const rows = results.events.flatMap((r) =>
    IMPLS.flatMap((impl) =>
      r.ops[impl].map((op, k) => {
        const us = opRoundMedians(r, impl, k);
        const all = r.samples[impl].flatMap((s) => s.opUs[k] ?? []);
        const vs = impl === 'ours' ? ratio(spread(opRatios(r, k))) : '';
        const column = r.labels?.[impl] ?? impl;
        return `| ${r.name} | ${column} | ${op.name} | ${fmt(median(us), 2)} | ${fmt(quantile(all, 0.99), 1)} | ${vs} |`;
      }),
    ),
  );
  return [
    '| scenario | column | operation | sync µs, median of round medians | p99 µs | ours ÷ floor op |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
}

function scenarioNotes(results: RunResults): string[] {
  return results.events.map((r) => {
    const floor = r.floorNote ?? "`capture()` of ours' recorded bags";
    const peer = r.labels?.peer ?? '`@posthog/mcp` 0.16.3';
    return `- **${r.name}**: ${r.about ?? ''}. Floor: ${floor}. Peer: ${peer}.`;
  });
}

function syncTable(results: RunResults): string[] {
  const rows = results.sync.map((r) => {
    const med = (impl: Impl): string => fmt(median(r.roundMedians[impl]), 2);
    const vs = (impl: Impl): string =>
      ratio(spread(r.roundMedians[impl].map((v, i) => v / r.roundMedians.floor[i]!)));
    return `| ${r.name} | ${med('floor')} | ${med('peer')} | ${med('ours')} | ${vs('ours')} | ${vs('peer')} | ${fmt(r.p99.ours, 2)} |`;
  });
  return [
    '| step | plain copy µs | peer µs | ours µs | ours ÷ plain | peer ÷ plain | ours p99 µs |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

function redactionTable(results: RunResults): string[] {
  const sizes = SIZES.slice(0, results.redaction[0]?.worstUs.length ?? 0);
  const head = sizes.map((s) => `${s >= 1e6 ? `${s / 1e6}M` : `${s / 1e3}k`} chars`).join(' | ');
  const rows = results.redaction.map(
    (p) =>
      `| ${p.pass} | ${p.worstUs.map((us) => fmt(us, 0)).join(' | ')} | ${fmt(p.growth, 1)} | ${p.worstInput} |`,
  );
  return [
    `| pass | ${head} | growth (last ÷ previous size) | worst input at the largest size |`,
    `|---|${sizes.map(() => '---|').join('')}---|---|`,
    ...rows,
  ];
}

function memoryLines(results: RunResults): string[] {
  const { steady, down } = results.memory;
  const series = (s: number[]): string => s.map(mb).join(', ');
  const steadyGrowth = (steady.samples.at(-1) ?? 0) - (steady.samples[1] ?? 0);
  const downTail = down.samples.slice(Math.floor(down.samples.length / 2));
  const tailGrowth = (downTail.at(-1) ?? 0) - (downTail[0] ?? 0);
  return [
    `- Steady: heap after forced GC every ${steady.every} small events (MB): ${series(steady.samples)}.`,
    `  Growth from the first sample after warm-up to the last: ${kb(steadyGrowth)} KB;` +
      ` ${steady.received}/${steady.expected} events received.`,
    `- Endpoint down (every capture connection reset, maxQueueSize ${down.maxQueueSize}): heap every ${down.every}` +
      ` events (MB): ${series(down.samples)}.`,
    `  Growth over the second half: ${kb(tailGrowth)} KB (levels off once posthog-node's queue is full);` +
      ` once the endpoint is back, ${down.received} of ${down.expected} events arrive (the queue kept the newest);` +
      ` posthog-node reported ${down.flushErrors ?? 0} failed flushes meanwhile.`,
  ];
}

const section = (title: string, present: boolean, body: () => string[]): string[] =>
  present ? [title, '', ...body(), ''] : [];

/** The whole report as markdown. */
export function renderReport(results: RunResults): string {
  const invalid = results.events.flatMap((r) => r.problems);
  return [
    '## Targets',
    '',
    invalid.length === 0
      ? 'Run is VALID: every implementation delivered every event exactly once.'
      : `Run is **INVALID**: ${invalid.join('; ')}`,
    '',
    ...targetTable(results.events, results.sync),
    '',
    '## Event scenarios',
    '',
    ...scenarioNotes(results),
    '',
    ...eventTables(results),
    '',
    '### Synchronous µs per operation',
    '',
    ...opTable(results),
    '',
    ...section('## List and call steps (synchronous)', results.sync.length > 0, () => syncTable(results)),
    ...section(
      '## Redaction passes on adversarial input (worst µs over all inputs)',
      results.redaction.length > 0,
      () => redactionTable(results),
    ),
    ...section('## Memory', results.memory.steady.samples.length > 0, () => memoryLines(results)),
    '## Machine',
    '',
    ...results.machine.map((line) => `- ${line}`),
    `- ${results.settings}`,
    '',
  ].join('\n');
}
