/** Turns the measurements into the markdown report: targets first, then details per section. */

import { IMPLS, type Impl, median, quantile, type Spread, spread } from './measure';
import type { MemoryResult } from './memory';
import { type PassResult, SIZES } from './redaction';
import type { EventResult, SyncResult } from './rounds';

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
const ratio = (s: Spread): string => `${fmt(s.median, 2)}× (${fmt(s.min, 2)}–${fmt(s.max, 2)})`;
const kb = (bytes: number): string => fmt(bytes / 1024, 0);
const mb = (bytes: number): string => fmt(bytes / 1024 / 1024, 2);

/** Per round, `a`'s wall time per event over `b`'s, in the same round. */
export function pairedRatios(result: EventResult, a: Impl, b: Impl): number[] {
  return result.samples[a].map((sample, i) => sample.wallUsPerEvent / result.samples[b][i]!.wallUsPerEvent);
}

const allSync = (result: EventResult, impl: Impl): number[] => result.samples[impl].flatMap((s) => s.syncUs);
const perCall = (result: EventResult, impl: Impl): string => {
  const sync = allSync(result, impl);
  return `${fmt(median(sync))} / ${fmt(quantile(sync, 0.99))}`;
};

interface Target {
  scenario: string;
  metric: string;
  limit: number;
  measured: number;
  shown: string;
}

const RATIO_TARGETS: Record<string, number> = {
  small: 1.25,
  medium: 1.3,
  large: 2.0,
  error: 1.5,
  'tools/list + initialize': 1.3,
};
const SYNC_TARGETS: Record<string, number> = {
  small: 15,
  medium: 30,
  large: 50,
  error: 30,
  'tools/list + initialize': 20,
};

function targets(results: RunResults): Target[] {
  const out: Target[] = [];
  for (const result of results.events) {
    const limit = RATIO_TARGETS[result.name];
    if (limit === undefined) continue;
    const s = spread(pairedRatios(result, 'ours', 'floor'));
    out.push({
      scenario: result.name,
      metric: 'wall / event, ours ÷ floor',
      limit,
      measured: s.median,
      shown: ratio(s),
    });
  }
  const list = results.sync.find((r) => r.name.startsWith('prepareToolList'));
  if (list) {
    const s = spread(list.roundMedians.ours.map((v, i) => v / list.roundMedians.floor[i]!));
    out.push({
      scenario: list.name,
      metric: 'ours ÷ plain copy',
      limit: 3,
      measured: s.median,
      shown: ratio(s),
    });
  }
  const router = results.events.find((r) => r.name === 'wrapped router');
  if (router) {
    const s = spread(pairedRatios(router, 'ours', 'peer'));
    out.push({
      scenario: router.name,
      metric: 'wall / event, router ÷ hand-wired three steps',
      limit: 1.1,
      measured: s.median,
      shown: ratio(s),
    });
  }
  for (const result of results.events) {
    const limit = SYNC_TARGETS[result.name];
    if (limit === undefined) continue;
    const sync = allSync(result, 'ours');
    const m = median(sync);
    out.push({
      scenario: result.name,
      metric: 'sync µs in the call (ours), median (p99)',
      limit,
      measured: m,
      shown: `${fmt(m)} (${fmt(quantile(sync, 0.99))})`,
    });
  }
  return out;
}

function targetTable(results: RunResults): string[] {
  const rows = targets(results).map((t) => {
    const pass = t.measured <= t.limit ? 'PASS' : 'FAIL';
    const unit = t.metric.startsWith('sync') ? ' µs' : '×';
    return `| ${t.scenario} | ${t.metric} | ≤ ${t.limit}${unit} | ${t.shown} | ${pass} |`;
  });
  return ['| scenario | metric | target | measured | result |', '|---|---|---|---|---|', ...rows];
}

function eventTables(results: RunResults): string[] {
  const all = results.events;
  const three = (f: (impl: Impl) => string): string => IMPLS.map(f).join(' / ');
  const wall = all.map((r) => {
    const med = (impl: Impl): string => fmt(median(r.samples[impl].map((s) => s.wallUsPerEvent)));
    const ok = r.problems.length === 0 ? 'valid' : '**INVALID**';
    const name = r.labels?.peer ? `${r.name} (peer column: ${r.labels.peer})` : r.name;
    return `| ${name} | ${r.calls}×${r.eventsPerCall} | ${ratio(spread(pairedRatios(r, 'ours', 'floor')))} | ${ratio(spread(pairedRatios(r, 'peer', 'floor')))} | ${three(med)} | ${ok} |`;
  });
  const cost = all.map((r) => {
    const cpu = (impl: Impl): string => fmt(median(r.samples[impl].map((s) => s.cpuUsPerEvent)));
    const gc = (impl: Impl): string => fmt(100 * median(r.samples[impl].map((s) => s.gcShare)));
    const heap = (impl: Impl): string => kb(median(r.samples[impl].map((s) => s.retainedBytes)));
    return `| ${r.name} | ${three((i) => perCall(r, i))} | ${three(cpu)} | ${three(gc)} | ${three(heap)} |`;
  });
  return [
    '| scenario | calls×events per round | ours ÷ floor | peer ÷ floor | wall µs/event floor / peer / ours | events |',
    '|---|---|---|---|---|---|',
    ...wall,
    '',
    '| scenario | sync µs per call, median / p99 (floor; peer; ours) | CPU µs/event | GC % of wall | retained heap KB |',
    '|---|---|---|---|---|',
    ...cost,
  ];
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
    ...targetTable(results),
    '',
    '## Event scenarios',
    '',
    ...eventTables(results),
    '',
    '## List and call steps (synchronous)',
    '',
    ...syncTable(results),
    '',
    '## Redaction passes on adversarial input (worst µs over all inputs)',
    '',
    ...redactionTable(results),
    '',
    '## Memory',
    '',
    ...memoryLines(results),
    '',
    '## Machine',
    '',
    ...results.machine.map((line) => `- ${line}`),
    `- ${results.settings}`,
    '',
  ].join('\n');
}
