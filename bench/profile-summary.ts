/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time by area (ours, posthog-node, the peer,
 * Node internals, GC), by file and by function, and the top functions by total (inclusive) time.
 * `--under=<function>` restricts everything to the subtrees of that function (e.g. `captureToolCall` for
 * the synchronous part of a call). `--top=N` rows per table (default 25); `--events=N` adds µs per event
 * (N events in the profile; `bench/profile.ts` prints it). Idle time is left out.
 *
 * Usage: `npx tsx bench/profile-summary.ts <file.cpuprofile> [--top=25] [--under=captureToolCall] [--events=4000]`
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const root = `file://${process.cwd()}/`;

/** A file's address relative to the checkout, packages by name. */
function fileOf(url: string): string {
  if (url === '') return '(native)';
  const local = url.startsWith(root) ? url.slice(root.length) : url;
  const modules = local.lastIndexOf('node_modules/');
  return modules >= 0 ? local.slice(modules + 'node_modules/'.length) : local;
}

/** The area a frame belongs to. */
function areaOf(frame: CallFrame): string {
  const file = fileOf(frame.url);
  if (file.startsWith('src/')) return 'ours (src/)';
  if (file.startsWith('bench/')) return 'bench harness';
  if (file.startsWith('posthog-node/') || file.startsWith('@posthog/core/'))
    return 'posthog-node (+ @posthog/core)';
  if (file.startsWith('@posthog/mcp/')) return 'peer (@posthog/mcp)';
  if (file.startsWith('node:')) return 'node internals (js)';
  if (file === '(native)')
    return frame.functionName.startsWith('(') ? frame.functionName : 'native / builtins';
  return file.split('/')[0] ?? file;
}

const nameOf = (frame: CallFrame): string =>
  `${frame.functionName || '(anonymous)'} ${fileOf(frame.url)}:${frame.lineNumber + 1}`;

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** Self µs per node id, from the sample stream. */
function selfTimes(profile: Profile): Map<number, number> {
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const next = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + Math.max(0, next));
  }
  return self;
}

interface Totals {
  total: number;
  byArea: Map<string, number>;
  byFile: Map<string, number>;
  byFunction: Map<string, number>;
  inclusive: Map<string, number>;
}

/** Walks the tree from `start`; counts each function's inclusive time once per stack (recursion-safe). */
function walk(
  nodes: Map<number, ProfileNode>,
  self: Map<number, number>,
  start: number,
  out: Totals,
): number {
  const onStack = new Map<string, number>();
  const visit = (id: number): number => {
    const node = nodes.get(id)!;
    const frame = node.callFrame;
    const key = nameOf(frame);
    const idle = frame.functionName === '(idle)';
    const own = idle ? 0 : (self.get(id) ?? 0);
    out.total += own;
    add(out.byArea, areaOf(frame), own);
    add(out.byFile, fileOf(frame.url), own);
    add(out.byFunction, key, own);
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    let sum = own;
    for (const child of node.children ?? []) {
      // The profiler's own stop call (bench/profile.ts) is not the measured work.
      if (nodes.get(child)?.callFrame.url !== 'node:inspector') sum += visit(child);
    }
    onStack.set(key, onStack.get(key)! - 1);
    if (onStack.get(key) === 0) add(out.inclusive, key, sum);
    return sum;
  };
  return visit(start);
}

/** Ids of the outermost nodes named `name` (their subtrees do not overlap). */
function rootsNamed(nodes: Map<number, ProfileNode>, start: number, name: string): number[] {
  const found: number[] = [];
  const visit = (id: number): void => {
    const node = nodes.get(id)!;
    if (node.callFrame.functionName === name) {
      found.push(id);
      return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(start);
  return found;
}

let events = 0;

function row(key: string, us: number, total: number): string {
  const share = `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const perEvent = events > 0 ? `  ${(us / events).toFixed(1).padStart(7)} µs/ev` : '';
  return `  ${share}  ${(us / 1000).toFixed(1).padStart(8)} ms${perEvent}  ${key}`;
}

function table(title: string, map: Map<string, number>, total: number, top: number): string[] {
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [title, ...rows.map(([key, us]) => row(key, us, total)), ''];
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top=N] [--under=function]');
  const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
  const under = args.find((a) => a.startsWith('--under='))?.slice(8);
  events = Number(args.find((a) => a.startsWith('--events='))?.slice(9) ?? 0);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = selfTimes(profile);
  const out: Totals = {
    total: 0,
    byArea: new Map(),
    byFile: new Map(),
    byFunction: new Map(),
    inclusive: new Map(),
  };
  const starts = under ? rootsNamed(nodes, profile.nodes[0]!.id, under) : [profile.nodes[0]!.id];
  for (const start of starts) walk(nodes, self, start, out);
  const scope = under ? `under ${under} (${starts.length} subtrees)` : 'whole profile, idle excluded';
  const lines = [
    `${file}: ${(out.total / 1000).toFixed(1)} ms sampled${events > 0 ? ` (${(out.total / events).toFixed(1)} µs/event)` : ''}, ${scope}`,
    '',
    ...table('Self time by area', out.byArea, out.total, top),
    ...table('Self time by file', out.byFile, out.total, top),
    ...table('Self time by function', out.byFunction, out.total, top),
    ...table('Total (inclusive) time by function', out.inclusive, out.total, top),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
