/**
 * Profiling aid: runs one column of one event scenario many times, for
 * `PROFILE_SCENARIO=error PROFILE_IMPL=ours node --cpu-prof --cpu-prof-dir=bench/results/prof --import tsx bench/profile.ts`,
 * then `npx tsx bench/profile-summary.ts bench/results/prof/<file>.cpuprofile`.
 * `PROFILE_SCENARIO` (default `small`), `PROFILE_IMPL` (default `ours`), `PROFILE_ROUNDS` (default 20).
 * Prints wall, CPU and synchronous µs per event and the delivered count to stderr.
 */
import { type Impl, nextTurn, startIngestServer } from './measure';
import { eventScenarios } from './scenarios';

const name = process.env.PROFILE_SCENARIO ?? 'small';
const impl = (process.env.PROFILE_IMPL ?? 'ours') as Impl;
const rounds = Number(process.env.PROFILE_ROUNDS ?? 20);
const server = await startIngestServer();
try {
  const [scenario] = await eventScenarios({ host: server.url, quick: false }, [name]);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let syncMs = 0;
  for (let round = 0; round < rounds; round++) {
    const runner = scenario.make[impl](`phc_profile_${round}`);
    for (let i = 0; i < scenario.calls; i++) {
      const start = performance.now();
      for (const op of runner.ops) op.run(i);
      syncMs += performance.now() - start;
      if (i % 10 === 9) await nextTurn();
    }
    await runner.shutdown();
  }
  const events = rounds * scenario.calls * scenario.eventsPerCall;
  const used = process.cpuUsage(cpu);
  const wallUs = ((performance.now() - started) * 1000) / events;
  const perEvent = (us: number): string => (us / events).toFixed(1);
  process.stderr.write(
    `${impl} ${name}: wall ${wallUs.toFixed(1)} µs/event, CPU ${perEvent(used.user + used.system)} µs/event, ` +
      `sync ${perEvent(syncMs * 1000)} µs/event (${events} events)\n`,
  );
  process.stderr.write(`delivered in round 0: ${JSON.stringify((await server.counts()).phc_profile_0)}\n`);
} finally {
  server.stop();
}
