import { describe, expect, it } from 'vitest';
import type { PostHogMCP } from '../src/client';
import { redactPersonalData, redactSecrets } from '../src/pipeline/redact';
import type { IngestedEvent } from './helpers/ingestion-server';
import { type CorpusItem, ORDINARY, PERSONAL_DATA, SECRETS } from './helpers/secrets-corpus';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

const TOOL = {
  name: 'lookup',
  description: 'Looks a record up',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } } },
};

/** Plants `text` in every place a request can carry it: arguments, result, error, intent, feedback, headers. */
function plantEverywhere(client: PostHogMCP, text: string): void {
  const headers = {
    'user-agent': `agent/1.0 ${text}`,
    'x-anthropic-client': text,
    'mcp-protocol-version': text,
  };
  const identity = {
    distinctId: 'user-1',
    properties: { note: text, plan: 'pro' },
    groups: { company: text },
  };
  const args = {
    query: text,
    nested: { list: [text], text: `see ${text}` },
    context: text,
    llm_model: 'model-x',
  };
  const ok = client.prepareToolCall('lookup', args, {
    tool: { ...TOOL, description: `Looks up ${text}` },
    headers,
    identity,
  });
  client.completeToolCall(ok, {
    result: { content: [{ type: 'text', text: `found ${text}` }], structuredContent: { text } },
  });
  const failed = client.prepareToolCall('lookup', args, { tool: TOOL, session: 'transport-1' });
  client.completeToolCall(failed, { error: new Error(`upstream failed with ${text}`) });
  const isError = client.prepareToolCall('lookup', args, { tool: TOOL, session: 'transport-1' });
  client.completeToolCall(isError, {
    result: { isError: true, content: [{ type: 'text', text: `denied: ${text}` }] },
  });
  client.prepareToolCall(`lookup ${text}`, args, { exists: false, session: 'transport-1' });
  const feedback = client.prepareToolCall('send_feedback', {
    feedback_type: 'issue',
    summary: text,
    details: `more: ${text}`,
  });
  client.completeToolCall(feedback);
  client.captureFeedback({
    report: {
      feedbackType: 'issue',
      summary: text,
      details: text,
      frictionPoints: text,
      extras: {},
      raw: {},
    },
  });
  client.captureMissingCapability({ context: `I need ${text}` });
  client.captureToolCall({
    toolName: 'lookup',
    sessionId: text,
    parameters: { text },
    response: { text },
    error: new Error(text),
  });
}

function collectStrings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collectStrings(item, out);
  return out;
}

/** The free-text properties of an event: intent, feedback text and an unregistered tool name. */
function freeText(event: IngestedEvent): string[] {
  const p = event.properties;
  const keys = Object.keys(p).filter((key) => key === '$mcp_intent' || key.startsWith('$mcp_feedback_'));
  if (event.event === '$mcp_unknown_tool') keys.push('$mcp_tool_name');
  return collectStrings(
    keys.map((key) => p[key]),
    [],
  );
}

async function plantAll(items: readonly string[]): Promise<IngestedEvent[]> {
  const client = wire.client({ collectFeedback: true, reportMissing: true });
  for (const text of items) plantEverywhere(client, text);
  await client.shutdown(30_000);
  return wire.server.events;
}

const leaks = (
  events: IngestedEvent[],
  items: readonly CorpusItem[],
  where: (e: IngestedEvent) => string,
): string[] =>
  items
    .filter((item) => events.some((event) => where(event).includes(item.needle)))
    .map((i) => `${i.kind}: ${i.needle}`);

describe('the secrets corpus', () => {
  it('holds at least 200 items', () => {
    expect(SECRETS.length + PERSONAL_DATA.length).toBeGreaterThanOrEqual(200);
    expect(SECRETS.length).toBeGreaterThanOrEqual(200);
  });

  it('no credential reaches the wire from arguments, results, errors, intents, feedback, identity or headers', async () => {
    const events = await plantAll(SECRETS.map((item) => item.text));
    expect(events.length).toBeGreaterThan(SECRETS.length * 8);
    expect(leaks(events, SECRETS, (event) => JSON.stringify(event))).toEqual([]);
    // The planted places were really captured, with the secret replaced.
    const seen = (key: string): unknown[] => events.map((event) => event.properties[key]).filter(Boolean);
    for (const key of [
      '$mcp_client_user_agent',
      '$mcp_intent',
      '$mcp_error_message',
      '$mcp_feedback_summary',
      '$set',
    ]) {
      expect(JSON.stringify(seen(key))).toContain('[redacted]');
    }
  }, 120_000);

  it('personal data is redacted from free text but kept in arguments and results', async () => {
    const events = await plantAll(PERSONAL_DATA.map((item) => item.text));
    expect(leaks(events, PERSONAL_DATA, (event) => freeText(event).join('\n'))).toEqual([]);
    const payloads = (e: IngestedEvent): string =>
      JSON.stringify([e.properties.$mcp_parameters, e.properties.$mcp_response]);
    const kept = PERSONAL_DATA.filter((item) =>
      events.some((event) => payloads(event).includes(item.needle)),
    );
    expect(kept).toEqual(PERSONAL_DATA);
  }, 120_000);

  it('ordinary identifiers, hashes, ids and prose reach the wire unchanged, in payloads and in free text', async () => {
    const events = await plantAll(ORDINARY);
    const params = events.map((event) => JSON.stringify(event.properties.$mcp_parameters ?? null)).join('\n');
    const intents = events.map((event) => String(event.properties.$mcp_intent ?? '')).join('\n');
    expect(ORDINARY.filter((value) => !params.includes(value))).toEqual([]);
    expect(ORDINARY.filter((value) => !intents.includes(value))).toEqual([]);
  }, 120_000);
});

const byKind = (items: readonly CorpusItem[]): [string, CorpusItem[]][] => {
  const groups = new Map<string, CorpusItem[]>();
  for (const item of items) groups.set(item.kind, [...(groups.get(item.kind) ?? []), item]);
  return [...groups];
};

describe('the redaction passes on their own', () => {
  it.each(byKind(SECRETS))('redact every %s', (_, items) => {
    expect(items.filter((item) => redactSecrets(item.text).includes(item.needle))).toEqual([]);
  });

  it.each(byKind(PERSONAL_DATA))('redact every %s in free text', (_, items) => {
    const leaked = items.filter((item) =>
      redactPersonalData(`contact ${item.text} today`).includes(item.needle),
    );
    expect(leaked).toEqual([]);
  });

  it('keep ordinary identifiers, hashes, ids and prose', () => {
    expect(ORDINARY.filter((value) => redactPersonalData(redactSecrets(value)) !== value)).toEqual([]);
  });
});
