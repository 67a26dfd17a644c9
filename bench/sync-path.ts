/**
 * The pieces of `captureToolCall`'s synchronous path on the small scenario's data, each timed in a hot loop:
 * `npx tsx bench/sync-path.ts`. Hot-loop figures are lower bounds; `npm run bench` times the whole call.
 */
import { finishedToolCall } from '../src/capture/finished-calls';
import { snapshotData } from '../src/capture/snapshot';
import { resolveStatedRequest, statedCaller } from '../src/capture/stated-request';
import type { ToolCallCaptureData } from '../src/capture-data';
import { redactSecrets } from '../src/pipeline/redact';
import { normalizeIdentity } from '../src/request/identity';
import { resolveOptions } from '../src/resolve-options';
import { ConnectionSessions } from '../src/session/connection-sessions';
import { decodeSessionToken } from '../src/session/session-token';
import { IDENTITY, SMALL, TOOL_NAME, UUID_REQUEST } from './fixtures';

const host = { options: resolveOptions({}), connections: new ConnectionSessions({ now: Date.now }) };
const data: ToolCallCaptureData = {
  toolName: TOOL_NAME,
  intent: 'Check the forecast before booking the team offsite',
  parameters: SMALL.args,
  response: SMALL.result,
  durationMs: 12.4,
  isError: false,
  ...IDENTITY,
  ...UUID_REQUEST,
};
const identity = {
  distinctId: IDENTITY.distinctId,
  properties: IDENTITY.setProperties,
  groups: IDENTITY.groups,
};

function time(name: string, run: () => unknown, n = 100_000): void {
  for (let i = 0; i < n / 10; i++) run();
  const start = performance.now();
  for (let i = 0; i < n; i++) run();
  process.stderr.write(`${name.padEnd(44)} ${(((performance.now() - start) * 1000) / n).toFixed(2)} µs\n`);
}

const caller = () => statedCaller(data, host.connections, host.options);
time('call time: snapshotData + statedCaller', () =>
  statedCaller(snapshotData(data), host.connections, host.options),
);
time('  snapshotData', () => snapshotData(data));
time('  statedCaller', caller);
time('deferred: finishedToolCall (the draft)', () =>
  finishedToolCall(host.options, resolveStatedRequest(data, caller(), host.options), data),
);
time('  resolveStatedRequest', () => resolveStatedRequest(data, caller(), host.options));
time('    redactSecrets(session id)', () => redactSecrets(UUID_REQUEST.sessionId));
time('    decodeSessionToken(session id)', () => decodeSessionToken(UUID_REQUEST.sessionId));
time('    normalizeIdentity', () => normalizeIdentity(identity));
time('  timestamp: new Date(Date.now() - d)', () => new Date(Date.now() - 12.4));
