/** Interleaved rounds: each round runs every column once, in a rotating order, with a new client. */

import type { EventScenario } from './columns';
import {
  gcMsBetween,
  heapAfterGc,
  IMPLS,
  type Impl,
  type IngestServer,
  median,
  nextTurn,
  ORDERS,
  quantile,
} from './measure';
import type { SyncScenario } from './steps';

/** One column's measurements in one round. */
export interface RoundSample {
  key: string;
  wallUsPerEvent: number;
  /** µs spent inside the column's calls (all operations of a call), one per call. */
  syncUs: number[];
  /** Per operation, µs spent inside it, one per call. */
  opUs: number[][];
  /** The operations' names and the floor operation each is held to. */
  ops: { name: string; vs: number }[];
  cpuUsPerEvent: number;
  gcShare: number;
  retainedBytes: number;
  from: number;
  to: number;
}

/** A scenario's measurements: per column, one sample per round; and whether every event arrived once. */
export interface EventResult {
  name: string;
  about?: string;
  floorNote?: string;
  /** Per column, the names of its operations (and, for ours, the floor operation each is held to). */
  ops: Record<Impl, { name: string; vs: number }[]>;
  labels?: Partial<Record<Impl, string>> | undefined;
  eventsPerCall: number;
  calls: number;
  samples: Record<Impl, RoundSample[]>;
  /** Events the ingestion server received per api key (one key per column and round, warm-up included). */
  delivered: Record<string, number>;
  problems: string[];
}

/** Settings of a run. */
export interface RoundSettings {
  rounds: number;
  /** Calls made per event-loop turn, as a busy server would. */
  burst: number;
}

async function runRound(
  scenario: EventScenario,
  impl: Impl,
  key: string,
  burst: number,
): Promise<RoundSample> {
  const events = scenario.calls * scenario.eventsPerCall;
  const base = heapAfterGc();
  const runner = scenario.make[impl](key);
  const ops = runner.ops;
  const syncUs: number[] = new Array(scenario.calls);
  const opUs: number[][] = ops.map(() => new Array(scenario.calls));
  const cpuStart = process.cpuUsage();
  const from = performance.now();
  for (let i = 0; i < scenario.calls; i++) {
    let total = 0;
    for (let k = 0; k < ops.length; k++) {
      const start = performance.now();
      ops[k]!.run(i);
      const us = (performance.now() - start) * 1000;
      opUs[k]![i] = us;
      total += us;
    }
    syncUs[i] = total;
    if ((i + 1) % burst === 0) await nextTurn();
  }
  await runner.shutdown();
  const to = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const retainedBytes = heapAfterGc() - base;
  return {
    key,
    wallUsPerEvent: ((to - from) * 1000) / events,
    syncUs,
    opUs,
    ops: ops.map((op, k) => ({ name: op.name, vs: op.vs ?? k })),
    cpuUsPerEvent: (cpu.user + cpu.system) / events,
    gcShare: 0,
    retainedBytes,
    from,
    to,
  };
}

const keyOf = (scenario: string, impl: Impl, round: number | string): string =>
  `phc_${scenario.replace(/[^a-z0-9]+/gi, '_')}_${impl}_${round}`;

/** Runs a warm-up round, then `rounds` interleaved rounds, then checks the server's counts. */
export async function runEventScenario(
  scenario: EventScenario,
  server: IngestServer,
  settings: RoundSettings,
): Promise<EventResult> {
  const samples: Record<Impl, RoundSample[]> = { floor: [], peer: [], ours: [] };
  const ops = { floor: [], peer: [], ours: [] } as EventResult['ops'];
  const keys: string[] = [];
  for (const impl of IMPLS) {
    const key = keyOf(scenario.name, impl, 'warm');
    keys.push(key);
    ops[impl] = (await runRound(scenario, impl, key, settings.burst)).ops;
  }
  const floorOps = Math.max(1, ops.floor.length);
  for (const impl of IMPLS) for (const op of ops[impl]) op.vs = Math.min(op.vs, floorOps - 1);
  for (let round = 0; round < settings.rounds; round++) {
    for (const impl of ORDERS[round % ORDERS.length]!) {
      const key = keyOf(scenario.name, impl, round);
      keys.push(key);
      samples[impl].push(await runRound(scenario, impl, key, settings.burst));
    }
  }
  await nextTurn();
  for (const impl of IMPLS) {
    for (const s of samples[impl]) s.gcShare = gcMsBetween(s.from, s.to) / (s.to - s.from);
  }
  const expected = scenario.calls * scenario.eventsPerCall;
  const counts = await server.counts();
  const problems: string[] = [];
  const delivered: Record<string, number> = {};
  for (const key of keys) {
    const got = counts[key] ?? { events: 0, unique: 0 };
    delivered[key] = got.events;
    if (got.unique < expected) problems.push(`${key}: lost ${expected - got.unique} of ${expected}`);
    if (got.events > got.unique || got.unique > expected) {
      problems.push(`${key}: ${got.events} received, ${got.unique} unique, ${expected} expected`);
    }
  }
  return {
    labels: scenario.labels,
    name: scenario.name,
    ...(scenario.about ? { about: scenario.about } : {}),
    ...(scenario.floorNote ? { floorNote: scenario.floorNote } : {}),
    ops,
    delivered,
    eventsPerCall: scenario.eventsPerCall,
    calls: scenario.calls,
    samples,
    problems,
  };
}

/** Per column, the median µs of one call in each round. */
export interface SyncResult {
  name: string;
  roundMedians: Record<Impl, number[]>;
  p99: Record<Impl, number>;
}

/** Times every call of a list or call step scenario, rounds interleaved like the event scenarios. */
export async function runSyncScenario(scenario: SyncScenario, rounds: number): Promise<SyncResult> {
  const roundMedians: Record<Impl, number[]> = { floor: [], peer: [], ours: [] };
  const all: Record<Impl, number[]> = { floor: [], peer: [], ours: [] };
  const subjects = { floor: scenario.make.floor(), peer: scenario.make.peer(), ours: scenario.make.ours() };
  for (let round = -1; round < rounds; round++) {
    for (const impl of ORDERS[(round + ORDERS.length) % ORDERS.length]!) {
      const times: number[] = new Array(scenario.iterations);
      const subject = subjects[impl];
      for (let i = 0; i < scenario.iterations; i++) {
        const start = performance.now();
        subject.call();
        times[i] = (performance.now() - start) * 1000;
        if (i % 50 === 49) await nextTurn();
      }
      if (round < 0) continue;
      roundMedians[impl].push(median(times));
      all[impl].push(...times);
    }
  }
  for (const impl of IMPLS) await subjects[impl].close();
  return {
    name: scenario.name,
    roundMedians,
    p99: { floor: quantile(all.floor, 0.99), peer: quantile(all.peer, 0.99), ours: quantile(all.ours, 0.99) },
  };
}
