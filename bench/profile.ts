/**
 * Profiling aid: runs one column of one event scenario for a warm-up round and then `PROFILE_ROUNDS` rounds,
 * and with `PROFILE_OUT=<file.cpuprofile>` records a CPU profile of the measured rounds only (start-up and
 * module loading left out; sampled every 100 µs), for `npx tsx bench/profile-summary.ts <file.cpuprofile>`:
 * `PROFILE_SCENARIO=error PROFILE_IMPL=ours PROFILE_OUT=bench/results/prof/error-ours.cpuprofile npx tsx bench/profile.ts`.
 * (`node --cpu-prof --import tsx bench/profile.ts` also works, start-up included.)
 * `PROFILE_SCENARIO` (default `small`), `PROFILE_IMPL` (default `ours`), `PROFILE_ROUNDS` (default 20).
 * Prints wall, CPU and synchronous µs per event and the delivered count to stderr.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { type Impl, nextTurn, startIngestServer } from './measure';
import { eventScenarios } from './scenarios';

const name = process.env.PROFILE_SCENARIO ?? 'small';
const impl = (process.env.PROFILE_IMPL ?? 'ours') as Impl;
const rounds = Number(process.env.PROFILE_ROUNDS ?? 20);
const out = process.env.PROFILE_OUT;
const server = await startIngestServer();
const session = new Session();
try {
  const [scenario] = await eventScenarios({ host: server.url, quick: false }, [name]);
  if (!scenario) throw new Error(`no scenario ${name}`);
  let syncMs = 0;
  let started = 0;
  let cpu = process.cpuUsage();
  for (let round = -1; round < rounds; round++) {
    if (round === 0) {
      if (out) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
      }
      syncMs = 0;
      started = performance.now();
      cpu = process.cpuUsage();
    }
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
  if (out) {
    const { profile } = await session.post('Profiler.stop');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(profile));
    session.disconnect();
  }
  const perEvent = (us: number): string => (us / events).toFixed(1);
  process.stderr.write(
    `${impl} ${name}: wall ${wallUs.toFixed(1)} µs/event, CPU ${perEvent(used.user + used.system)} µs/event, ` +
      `sync ${perEvent(syncMs * 1000)} µs/event (${events} events)\n`,
  );
  process.stderr.write(`delivered in round 0: ${JSON.stringify((await server.counts()).phc_profile_0)}\n`);
} finally {
  server.stop();
}
