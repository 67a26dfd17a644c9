import {
  type BeforeSendHook,
  EVENT,
  type HeadersLike,
  type Identity,
  PostHogMCP,
  type PostHogMCPOptions,
  PROP,
} from '../src/index';

/** Who each API token belongs to; a real server would ask its auth service. */
const ACCOUNTS: Record<string, { userId: string; name: string; plan: string; company: string }> = {
  tok_alice: { userId: 'user_alice', name: 'Alice', plan: 'pro', company: 'acme' },
  tok_bob: { userId: 'user_bob', name: 'Bob', plan: 'free', company: 'globex' },
};

const getInvoice = {
  name: 'get_invoice',
  description: 'Fetch an invoice by number.',
  inputSchema: { type: 'object', properties: { number: { type: 'string' } }, required: ['number'] },
};

// #region readme:identify
/** Maps `Authorization: Bearer <token>` to a person, person properties (`$set`) and a company group. */
export function identityFromHeaders(headers: Headers): Identity | null {
  const token = /^Bearer (\S+)$/.exec(headers.get('authorization') ?? '')?.[1];
  const account = token === undefined ? undefined : ACCOUNTS[token];
  if (!account) return null;
  return {
    distinctId: account.userId,
    properties: { name: account.name, plan: account.plan },
    groups: { company: account.company },
  };
}

/** Drops `$mcp_tools_list` events and keeps invoices out of `$mcp_response`, tagging the call instead. */
export const beforeSend: BeforeSendHook = (event) => {
  if (event.event === EVENT.toolsList) return null;
  if (event.event === EVENT.toolCall && event.properties[PROP.toolName] === getInvoice.name) {
    const { [PROP.response]: _response, ...properties } = event.properties;
    return { ...event, properties: { ...properties, invoice_response_removed: true } };
  }
  return event;
};

/** `tools/call get_invoice` on behalf of whoever the `Authorization` header names. */
export function callGetInvoice(posthog: PostHogMCP, headers: Headers, args: unknown) {
  const identity = identityFromHeaders(headers);
  const call = posthog.prepareToolCall(getInvoice.name, args, { tool: getInvoice, headers, identity });
  const invoice = { number: String(call.args.number), total: '120.00 EUR' };
  const result = { content: [{ type: 'text', text: JSON.stringify(invoice) }] };
  return posthog.completeToolCall(call, { result });
}
// #endregion readme:identify

/** The analytics client of this example. */
export function createAnalytics(options: PostHogMCPOptions = {}): PostHogMCP {
  return new PostHogMCP(process.env.POSTHOG_API_KEY ?? 'phc_example', { beforeSend, ...options });
}

/** `tools/list`: the page is captured (and then dropped by `beforeSend`). */
export function listTools(posthog: PostHogMCP, headers: HeadersLike) {
  const tools = posthog.prepareToolList([getInvoice]);
  posthog.captureToolsList({ tools, headers });
  return { tools };
}
