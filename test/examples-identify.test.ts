import { describe, expect, it } from 'vitest';
import { callGetInvoice, createAnalytics, identityFromHeaders, listTools } from '../examples/identify';
import { EVENT, PROP } from '../src/index';
import { createTestClientOptions } from './helpers/ingestion-server';
import { useIngestionServer } from './helpers/wire';

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe('examples/identify.ts', () => {
  const wire = useIngestionServer();

  it('maps a known bearer token to a person, person properties and a company group', () => {
    expect(identityFromHeaders(bearer('tok_alice'))).toEqual({
      distinctId: 'user_alice',
      properties: { name: 'Alice', plan: 'pro' },
      groups: { company: 'acme' },
    });
    expect(identityFromHeaders(bearer('tok_unknown'))).toBeNull();
    expect(identityFromHeaders(new Headers())).toBeNull();
  });

  it('sends an identified call with $set and $groups, edited by beforeSend', async () => {
    const posthog = createAnalytics(createTestClientOptions(wire.server));
    const result = callGetInvoice(posthog, bearer('tok_alice'), { number: 'INV-7', context: 'check a bill' });
    await posthog.shutdown();
    expect(JSON.stringify(result)).toContain('INV-7');
    const [call] = wire.server.eventsNamed(EVENT.toolCall);
    expect(call?.distinct_id).toBe('user_alice');
    expect(call?.properties).toMatchObject({
      [PROP.set]: { name: 'Alice', plan: 'pro' },
      [PROP.groups]: { company: 'acme' },
      [PROP.intent]: 'check a bill',
      invoice_response_removed: true,
    });
    expect(call?.properties).not.toHaveProperty(PROP.response);
    expect(call?.properties).not.toHaveProperty(PROP.processPersonProfile);
  });

  it('keeps a call without a known token anonymous, keyed by its session', async () => {
    const posthog = createAnalytics(createTestClientOptions(wire.server));
    callGetInvoice(posthog, new Headers(), { number: 'INV-8' });
    await posthog.shutdown();
    const [call] = wire.server.eventsNamed(EVENT.toolCall);
    expect(call?.distinct_id).toBe(call?.properties[PROP.sessionId]);
    expect(call?.properties[PROP.processPersonProfile]).toBe(false);
    expect(call?.properties).not.toHaveProperty(PROP.set);
  });

  it('drops every $mcp_tools_list event in beforeSend', async () => {
    const posthog = createAnalytics(createTestClientOptions(wire.server));
    const { tools } = listTools(posthog, bearer('tok_bob'));
    callGetInvoice(posthog, bearer('tok_bob'), { number: 'INV-9' });
    await posthog.shutdown();
    expect(tools.map((tool) => tool.name)).toEqual(['get_invoice']);
    expect(wire.server.eventsNamed(EVENT.toolsList)).toEqual([]);
    expect(wire.server.eventsNamed(EVENT.toolCall)[0]?.distinct_id).toBe('user_bob');
  });
});
