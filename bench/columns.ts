/** How a scenario's three columns are built: timed operations per call, each column with its own client. */
import { PostHogMCP as PeerPostHogMCP } from '@posthog/mcp';
import { PostHog } from 'posthog-node';
import type { MCPEvent, PostHogMCP } from '../src/index';
import type { Impl } from './measure';
import { ours as oursBuild } from './ours';

/** One timed operation of a call (a capture method or a step); `vs` is the floor operation it is held to. */
export interface Op {
  name: string;
  run(index: number): void;
  /** Index of the floor operation this one's synchronous time is compared with (default: the same index, or the last). */
  vs?: number;
}

/** One column's client for one round: the operations of one call, and the final shutdown. */
export interface Runner {
  ops: readonly Op[];
  shutdown(): Promise<void>;
}

/** A scenario whose calls send events through a real client. */
export interface EventScenario {
  name: string;
  /** What the scenario does, for the report. */
  about: string;
  /** Column names other than floor / peer / ours, e.g. when the peer column holds another of ours. */
  labels?: Partial<Record<Impl, string>>;
  /** How the floor column is built, when it is not `capture()` of ours' recorded bags. */
  floorNote?: string;
  eventsPerCall: number;
  calls: number;
  make: Record<Impl, (apiKey: string) => Runner>;
}

/** What the scenarios need to know about the run. */
export interface ScenarioSettings {
  host: string;
  quick: boolean;
}

/** Builds a column's operations for a client; `calls` is the round's call count (for per-call inputs). */
export type OpsOf<C> = (client: C, calls: number) => Op[];

/** The exact events ours sends for one call, recorded through `beforeSend`: the floor's property bags. */
async function bagsOf(host: string, ours: OpsOf<PostHogMCP>): Promise<MCPEvent[]> {
  const bags: MCPEvent[] = [];
  const client = new oursBuild.PostHogMCP('phc_bench_setup', {
    host,
    beforeSend: (event) => {
      bags.push(event);
      return event;
    },
  });
  for (const op of ours(client, 1)) op.run(0);
  await client.shutdown();
  return bags;
}

/** A fresh top-level property object per call, as a host building its own capture would; nested values are shared. */
export function freshBag(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) out[key] = properties[key];
  return out;
}

/** One `capture()` per recorded bag: the floor. */
export function captureOps(client: PostHog, bags: readonly MCPEvent[]): Op[] {
  return bags.map((bag) => ({
    name: `capture(${bag.event})`,
    run: () => {
      client.capture({
        distinctId: bag.distinctId,
        event: bag.event,
        properties: freshBag(bag.properties),
        ...(bag.groups ? { groups: bag.groups } : {}),
      });
    },
  }));
}

/** How a scenario's columns call their clients. */
export interface ScenarioSpec {
  name: string;
  about: string;
  calls: number;
  quickCalls: number;
  ours: OpsOf<PostHogMCP>;
  peer: OpsOf<PeerPostHogMCP>;
  /** The floor's operations from ours' recorded bags; default one `capture()` per bag. */
  floor?: (client: PostHog, bags: readonly MCPEvent[], calls: number) => Op[];
  floorNote?: string;
}

const PEER_OPTIONS = { captureModel: true } as const;

/** A scenario from its spec: the floor's bags are recorded from ours once, before any round. */
export async function eventScenario(settings: ScenarioSettings, spec: ScenarioSpec): Promise<EventScenario> {
  const { host } = settings;
  const bags = await bagsOf(host, spec.ours);
  const count = settings.quick ? spec.quickCalls : spec.calls;
  const floorOps = spec.floor ?? ((client: PostHog, b: readonly MCPEvent[]) => captureOps(client, b));
  return {
    name: spec.name,
    about: spec.about,
    ...(spec.floorNote ? { floorNote: spec.floorNote } : {}),
    eventsPerCall: bags.length,
    calls: count,
    make: {
      floor: (apiKey) => {
        const client = new PostHog(apiKey, { host });
        return { ops: floorOps(client, bags, count), shutdown: () => client.shutdown() };
      },
      peer: (apiKey) => {
        const client = new PeerPostHogMCP(apiKey, { host, ...PEER_OPTIONS });
        return { ops: spec.peer(client, count), shutdown: () => client.shutdown() };
      },
      ours: (apiKey) => {
        // Every `$exception` is sent, as the peer and the floor send them: rate limiting would flatter ours.
        const client = new oursBuild.PostHogMCP(apiKey, { host, exceptionRateLimit: false });
        return { ops: spec.ours(client, count), shutdown: () => client.shutdown() };
      },
    },
  };
}

/** Whether a scenario or section name is selected by `--only` (comma-separated names; `x*` is a prefix). */
export function selected(name: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  );
}
