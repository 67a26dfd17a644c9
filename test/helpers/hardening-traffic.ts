import type { PostHogMCP } from '../../src/client';
import { seededRandom, yieldTurns } from './hardening-harness';
import type { IngestedEvent, IngestionServer } from './ingestion-server';

/** A tool result as the handler returns it. */
interface ToolResult {
  content: { type: 'text'; text: string }[];
  structuredContent: { index: number };
}

/** What a run of tool calls saw: mismatched results and how many calls ran. */
export interface TrafficReport {
  calls: number;
  mismatches: string[];
}

function expectedResult(index: number): ToolResult {
  return { content: [{ type: 'text', text: `result ${index}` }], structuredContent: { index } };
}

/** Runs one tool call through the three steps; returns a problem description, or undefined when the result is unchanged. */
async function runCall(client: PostHogMCP, index: number, random: () => number): Promise<string | undefined> {
  const withSession = index % 2 === 0;
  const call = client.prepareToolCall(
    'lookup',
    { query: `q${index}`, context: 'find a record', llm_model: 'model-x' },
    {
      tool: { name: 'lookup', inputSchema: { type: 'object', properties: { query: { type: 'string' } } } },
      ...(withSession ? { session: `transport-${index % 97}` } : {}),
    },
  );
  await yieldTurns(Math.floor(random() * 3));
  if (index % 10 === 7) {
    const delivered = client.completeToolCall(call, { error: new RangeError(`bad input ${index}`) });
    return delivered === undefined ? undefined : `call ${index}: a thrown call delivered a result`;
  }
  const result = expectedResult(index);
  const delivered = client.completeToolCall(call, { result }) as ToolResult | undefined;
  const content = delivered?.content ?? [];
  const kept = withSession ? content : content.slice(0, -1);
  const same = JSON.stringify({ ...delivered, content: kept }) === JSON.stringify(expectedResult(index));
  return same ? undefined : `call ${index}: result changed`;
}

/** Runs `calls` tool calls in interleaved waves of `width`, with seeded delays inside handlers. */
export async function runToolTraffic(
  client: PostHogMCP,
  calls: number,
  seed = 7,
  width = 50,
): Promise<TrafficReport> {
  const random = seededRandom(seed);
  const mismatches: string[] = [];
  for (let start = 0; start < calls; start += width) {
    const wave = Array.from({ length: Math.min(width, calls - start) }, (_, offset) =>
      runCall(client, start + offset, random),
    );
    for (const problem of await Promise.all(wave)) if (problem) mismatches.push(problem);
  }
  return { calls, mismatches };
}

/** How every event the client sent ended up, derived from what the server saw. */
export interface DeliveryAccount {
  /** Events recorded by the server (answered 2xx with a valid body). */
  delivered: number;
  /** Events in a request answered 2xx with a garbage body: accepted by posthog-node, not recorded. */
  acceptedGarbage: number;
  /** Events whose last request was answered with an HTTP error status: dropped by posthog-node. */
  droppedByStatus: number;
  /** Events that never appeared in any request. */
  neverSent: number;
  /** Events whose last request failed at the network level (reset, timeout) and were never resent. */
  strandedByNetwork: number;
  /** Events recorded more than once. */
  duplicates: number;
}

/** Classifies each sent uuid by its last appearance on the server. */
export function accountDelivery(server: IngestionServer, sent: ReadonlySet<string>): DeliveryAccount {
  const recorded = new Map<string, number>();
  for (const event of server.events)
    if (event.uuid) recorded.set(event.uuid, (recorded.get(event.uuid) ?? 0) + 1);
  const lastFault = new Map<string, string>();
  for (const request of server.faulted) {
    const kind = typeof request.mode === 'string' ? request.mode : `status ${request.mode.status}`;
    for (const event of request.events as IngestedEvent[]) if (event.uuid) lastFault.set(event.uuid, kind);
  }
  const account: DeliveryAccount = {
    delivered: 0,
    acceptedGarbage: 0,
    droppedByStatus: 0,
    neverSent: 0,
    strandedByNetwork: 0,
    duplicates: 0,
  };
  for (const uuid of sent) {
    const times = recorded.get(uuid) ?? 0;
    const fault = lastFault.get(uuid);
    if (times > 1) account.duplicates++;
    if (times > 0) account.delivered++;
    else if (fault === 'garbage') account.acceptedGarbage++;
    else if (fault?.startsWith('status ')) account.droppedByStatus++;
    else if (fault === undefined) account.neverSent++;
    else account.strandedByNetwork++;
  }
  return account;
}
