import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selected } from '../bench/columns';
import { IMPLS, type IngestServer, startIngestServer } from '../bench/measure';
import { type RunResults, renderReport } from '../bench/report';
import { type EventResult, type RoundSample, runEventScenario } from '../bench/rounds';
import { eventScenarios, scenarioSpecs } from '../bench/scenarios';

/** What each scenario's columns must send per call. */
const EVENTS_PER_CALL: Record<string, number> = {
  small: 1,
  error: 2,
  'list-init': 2,
  medium: 1,
  large: 1,
  'small-described': 1,
  'error-recurring': 2,
  'list-init-50': 2,
  'list-steps': 2,
  'three steps': 1,
  'wrapped router': 1,
};

describe('the overhead benchmark, one quick round per scenario', () => {
  let server: IngestServer;

  beforeAll(async () => {
    server = await startIngestServer();
  });

  afterAll(() => {
    server.stop();
  });

  it('has every scenario of issue 12 and the earlier ones', () => {
    const names = [...scenarioSpecs().map((spec) => spec.name), 'wrapped router'];
    expect(names.sort()).toEqual(Object.keys(EVENTS_PER_CALL).sort());
  });

  it.each(Object.keys(EVENTS_PER_CALL))(
    '%s: every column delivers exactly calls × events, once each',
    async (name) => {
      const [scenario] = await eventScenarios({ host: server.url, quick: true }, [name]);
      expect(scenario?.name).toBe(name);
      const result = await runEventScenario(scenario!, server, { rounds: 1, burst: 10 });
      const expected = result.calls * EVENTS_PER_CALL[name]!;
      expect(result.eventsPerCall).toBe(EVENTS_PER_CALL[name]);
      expect(result.problems).toEqual([]);
      // Warm-up round and the measured round, for each column.
      expect(Object.keys(result.delivered)).toHaveLength(2 * IMPLS.length);
      for (const [key, count] of Object.entries(result.delivered)) expect(count, key).toBe(expected);
      for (const impl of IMPLS) {
        const [sample] = result.samples[impl];
        expect(result.samples[impl]).toHaveLength(1);
        expect(sample?.syncUs).toHaveLength(result.calls);
        expect(sample?.opUs).toHaveLength(result.ops[impl].length);
        expect(sample?.cpuUsPerEvent).toBeGreaterThan(0);
      }
      expect(result.ops.ours.length).toBeGreaterThan(0);
    },
  );

  it('--only selects exact names and prefixes', () => {
    expect(selected('small', ['small'])).toBe(true);
    expect(selected('small-described', ['small'])).toBe(false);
    expect(selected('small-described', ['small*'])).toBe(true);
    expect(selected('memory', undefined)).toBe(true);
    expect(selected('memory', ['error'])).toBe(false);
  });
});

function sample(wall: number, cpu: number, sync: number): RoundSample {
  return {
    key: 'k',
    wallUsPerEvent: wall,
    syncUs: [sync],
    opUs: [[sync]],
    ops: [{ name: 'op', vs: 0 }],
    cpuUsPerEvent: cpu,
    gcShare: 0,
    retainedBytes: 0,
    from: 0,
    to: 1,
  };
}

/** A made-up `small` result: ours' wall, CPU and sync against a floor of 100 µs wall, 100 CPU, 10 sync. */
function fakeSmall(ours: { wall: number; cpu: number; sync: number }, problems: string[] = []): EventResult {
  const op = [{ name: 'op', vs: 0 }];
  return {
    name: 'small',
    eventsPerCall: 1,
    calls: 1,
    ops: { floor: op, peer: op, ours: op },
    samples: {
      floor: [sample(100, 100, 10)],
      peer: [sample(200, 200, 20)],
      ours: [sample(ours.wall, ours.cpu, ours.sync)],
    },
    delivered: {},
    problems,
  };
}

const report = (events: EventResult[]): string =>
  renderReport({
    machine: ['test'],
    settings: 'smoke',
    events,
    sync: [],
    redaction: [],
    memory: { steady: { every: 0, samples: [] }, down: { every: 0, samples: [], maxQueueSize: 0 } },
  } satisfies RunResults);

describe('the report', () => {
  it('marks each target PASS when met', () => {
    const text = report([fakeSmall({ wall: 120, cpu: 150, sync: 9 })]);
    expect(text).toContain('Run is VALID');
    expect(text).toMatch(/\| small \| wall \/ event, ours ÷ floor \| ≤ 1\.25× \| 1\.20× .* \| PASS \|/);
    expect(text).toMatch(/\| small \| CPU \/ event, ours ÷ peer \| ≤ 1× \| 0\.75× .* \| PASS \|/);
    expect(text).toMatch(/\| small \| sync, op ÷ floor op \| ≤ 1× \| 0\.90× .* \| PASS \|/);
  });

  it('marks each target FAIL when missed', () => {
    const text = report([fakeSmall({ wall: 130, cpu: 250, sync: 11 })]);
    expect(text).toMatch(/\| small \| wall \/ event, ours ÷ floor \| ≤ 1\.25× \| 1\.30× .* \| FAIL \|/);
    expect(text).toMatch(/\| small \| CPU \/ event, ours ÷ peer \| ≤ 1× \| 1\.25× .* \| FAIL \|/);
    expect(text).toMatch(/\| small \| sync, op ÷ floor op \| ≤ 1× \| 1\.10× .* \| FAIL \|/);
  });

  it('says INVALID when a column lost or duplicated an event', () => {
    const text = report([fakeSmall({ wall: 100, cpu: 100, sync: 10 }, ['phc_small_ours_0: lost 1 of 40'])]);
    expect(text).toContain('Run is **INVALID**: phc_small_ours_0: lost 1 of 40');
    expect(text).toContain('| small | 1×1 |');
    expect(text).toMatch(/\| small \| .* \| \*\*INVALID\*\* \|/);
  });
});
