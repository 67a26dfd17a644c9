import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestServer, startIngestServer } from '../bench/measure';
import { renderReport } from '../bench/report';
import { type EventResult, runEventScenario } from '../bench/rounds';
import { eventScenarios } from '../bench/scenarios';

describe('the overhead benchmark, one quick round', () => {
  let server: IngestServer;
  const results: EventResult[] = [];

  beforeAll(async () => {
    server = await startIngestServer();
  });

  afterAll(() => {
    server.stop();
  });

  it('delivers every event of every column exactly once to the child ingestion server', async () => {
    for (const scenario of await eventScenarios({ host: server.url, quick: true })) {
      results.push(await runEventScenario(scenario, server, { rounds: 1, burst: 10 }));
    }
    expect(results.map((r) => r.name)).toContain('wrapped router');
    for (const result of results) {
      expect(result.problems, result.name).toEqual([]);
      for (const samples of Object.values(result.samples)) {
        expect(samples).toHaveLength(1);
        expect(samples[0]?.syncUs).toHaveLength(result.calls);
      }
    }
    const counts = await server.counts();
    const small = results.find((r) => r.name === 'small')!;
    expect(counts.phc_small_ours_0?.unique).toBe(small.calls * small.eventsPerCall);
    expect(results.find((r) => r.name === 'error')?.eventsPerCall).toBe(2);
  });

  it('renders a targets table that marks each target PASS or FAIL', () => {
    const report = renderReport({
      machine: ['test'],
      settings: 'smoke',
      events: results,
      sync: [],
      redaction: [],
      memory: {
        steady: { every: 1, samples: [0, 0] },
        down: { every: 1, samples: [0, 0], maxQueueSize: 1000 },
      },
    });
    expect(report).toContain('Run is VALID');
    expect(report).toMatch(/\| small \| wall \/ event, ours ÷ floor \| ≤ 1\.25× \| .* \| (PASS|FAIL) \|/);
  });
});
