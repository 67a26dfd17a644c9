import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ToolDescriptor } from '../src/index.js';
import { useIngestionServer } from './helpers/wire.js';

/**
 * The router's in-flight calls (kept so `notifications/cancelled` finds its call) are bounded in bytes, not only in
 * entries: a client's request id and session id are its own text, and a call the host never answers stays tracked.
 */

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const wire = useIngestionServer();
const MiB = 1_048_576;
const tool: ToolDescriptor = { name: 'search', inputSchema: { type: 'object' } };

function heapMiB(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / MiB;
}

const CASES: [string, (i: number) => { id: string; session: string; args?: object }][] = [
  ['1 MB request ids', (i) => ({ id: `${i}:${'i'.repeat(MiB)}`, session: 'mcp-session-1' })],
  ['1 MB session ids', (i) => ({ id: String(i), session: `${i}:${'s'.repeat(MiB)}` })],
  [
    '1 MB arguments',
    (i) => ({ id: String(i), session: 'mcp-session-1', args: { query: `${i}:${'a'.repeat(MiB)}` } }),
  ],
];

describe('calls the host never answers do not keep the client text of their ids', () => {
  it.each(CASES)('100 unanswered calls with %s leave the heap within a few MiB', async (_, make) => {
    const client = wire.client();
    let session = '';
    // The host drops these requests: its promise never settles and nothing keeps it.
    const handle = client.instrumentRouter(() => new Promise<never>(() => {}), {
      tools: () => [tool],
      session: () => session,
    });
    const before = heapMiB();
    for (let i = 0; i < 100; i++) {
      const call = make(i);
      session = call.session;
      void handle(
        {
          jsonrpc: '2.0',
          id: call.id,
          method: 'tools/call',
          params: { name: 'search', arguments: call.args ?? {} },
        },
        {},
      );
    }
    session = '';
    await client.flush();
    const grown = heapMiB() - before;
    expect(grown, `${grown.toFixed(1)} MiB retained`).toBeLessThan(16);
  });
});
