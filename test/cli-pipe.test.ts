import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/mcp-client';

/** Enough events that `--events` writes far more than a pipe buffer holds (64 KiB on Linux). */
const EVENTS = 5000;

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-pipe-'));
  file = join(dir, 'events.jsonl');
  const line = (index: number) =>
    JSON.stringify({
      event: '$mcp_tool_call',
      properties: {
        $mcp_tool_name: `tool_${index % 7}`,
        $session_id: `ses_${index}`,
        $mcp_duration_ms: index % 100,
        $mcp_is_error: index % 5 === 0,
        $mcp_intent: `find page ${index}`,
      },
    });
  await writeFile(file, `${Array.from({ length: EVENTS }, (_, index) => line(index)).join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `cli | reader` in bash and returns the CLI's exit status, its stderr and what the reader printed. */
function pipeInto(reader: string, args: string): Promise<{ status: number; stderr: string; stdout: string }> {
  const cli = `${JSON.stringify(process.execPath)} --import tsx src/cli/main.ts summarize ${args}`;
  const script = `${cli} 2>"$ERR" | ${reader}; echo "status=\${PIPESTATUS[0]}"; cat "$ERR" >&2`;
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd: REPO_ROOT, env: { ...process.env, ERR: join(dir, 'stderr.txt') }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) return reject(error);
        const status = Number(/status=(\d+)/.exec(stdout)?.[1]);
        resolve({ status, stderr, stdout: stdout.replace(/status=\d+\n$/, '') });
      },
    );
  });
}

describe('summarize into a reader that stops early', () => {
  it.each([
    ['head -1', '--events'],
    ['head -c 10', '--events'],
    ['true', '--events'],
    ['head -1', ''],
  ])('`summarize %s` exits 0 without a word on stderr (args: %s)', async (reader, extra) => {
    const { status, stderr, stdout } = await pipeInto(reader, `${JSON.stringify(file)} ${extra}`);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    if (reader === 'head -1') expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
