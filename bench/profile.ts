/**
 * Profiling aid: runs one column of one scenario many times, for `node --cpu-prof --import tsx bench/profile.ts`.
 * `PROFILE_SCENARIO` (default `small`), `PROFILE_IMPL` (default `ours`), `PROFILE_ROUNDS` (default 20).
 */
import { type Impl, nextTurn, startIngestServer } from './measure';
import { eventScenarios } from './scenarios';

const name = process.env.PROFILE_SCENARIO ?? 'small';
const impl = (process.env.PROFILE_IMPL ?? 'ours') as Impl;
const rounds = Number(process.env.PROFILE_ROUNDS ?? 20);
const server = await startIngestServer();
try {
  const scenario = (await eventScenarios({ host: server.url, quick: false })).find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let round = 0; round < rounds; round++) {
    const runner = scenario.make[impl](`phc_profile_${round}`);
    for (let i = 0; i < scenario.calls; i++) {
      runner.call(i);
      if (i % 10 === 9) await nextTurn();
    }
    await runner.shutdown();
  }
  const events = rounds * scenario.calls * scenario.eventsPerCall;
  const used = process.cpuUsage(cpu);
  const wallUs = ((performance.now() - started) * 1000) / events;
  process.stderr.write(
    `${impl} ${name}: ${wallUs} µs/event, CPU ${(used.user + used.system) / events} µs/event\n`,
  );
  process.stderr.write(`${JSON.stringify((await server.counts()).phc_profile_0)}\n`);
} finally {
  server.stop();
}
