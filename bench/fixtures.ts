/** Realistic payloads for the scenarios: small, medium and large calls, real errors, 20 or 50 tools. */

const WORDS =
  'the quick report lists open invoices for the north region with totals per customer and a short note on late payments from last quarter'.split(
    ' ',
  );

/** Prose of about `chars` characters, in sentences. */
export function prose(chars: number, seed = 0): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = seed; length < chars; i++) {
    const word = WORDS[i % WORDS.length] ?? 'word';
    const piece = i % 17 === 16 ? `${word}. ` : `${word} `;
    parts.push(piece);
    length += piece.length;
  }
  return parts.join('').slice(0, chars);
}

/** Base64 text of about `chars` characters (a fake file). */
export function base64Blob(chars: number): string {
  const bytes = Buffer.alloc(Math.ceil((chars * 3) / 4));
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
  return bytes.toString('base64').slice(0, chars);
}

/** The person and session fields every captured call carries. */
export const IDENTITY = {
  distinctId: 'user_8f3a2c',
  setProperties: { plan: 'team', role: 'admin', signup_source: 'docs' },
  groups: { organization: 'org_41c9' },
};

/** Transport and client fields of a request. */
export const REQUEST = {
  sessionId: 'mcp-session-7d1f0b2e',
  protocolVersion: '2025-06-18',
  clientUserAgent: 'claude-code/2.0.31 (cli)',
};

/** Transport and client fields of a request whose session id is a UUID, as most HTTP transports mint. */
export const UUID_REQUEST = {
  sessionId: '3f6c1d2a-8b4e-4f7a-9c0d-5e2b7a1f4c88',
  protocolVersion: '2025-06-18',
  clientUserAgent: 'claude-code/2.0.31 (cli)',
};

/** Small call: three small arguments and a short text result. */
export const SMALL = {
  args: { city: 'Paris', units: 'metric', days: 3 },
  result: { content: [{ type: 'text', text: 'Sunny, 21°C, light wind from the west.' }] },
};

function record(i: number): Record<string, unknown> {
  return {
    id: `inv_${1000 + i}`,
    customer: { id: `cus_${500 + (i % 40)}`, name: `Customer ${i % 40}`, region: 'north' },
    amount: { value: 1200 + i * 7, currency: 'EUR' },
    status: i % 3 === 0 ? 'late' : 'open',
    lines: [
      { sku: `SKU-${i}-A`, qty: 2, note: prose(60, i) },
      { sku: `SKU-${i}-B`, qty: 1, note: prose(60, i + 3) },
    ],
    memo: prose(120, i),
  };
}

/** Medium call: about 5 KB of arguments and a 20 KB nested result. */
export const MEDIUM = {
  args: {
    query: 'open invoices in the north region',
    filters: Array.from({ length: 12 }, (_, i) => ({ field: `field_${i}`, op: 'eq', value: prose(300, i) })),
    page: { size: 50, cursor: 'c_19f2' },
  },
  result: {
    content: [{ type: 'text', text: prose(2_000) }],
    structuredContent: { items: Array.from({ length: 30 }, (_, i) => record(i)), total: 30 },
  },
};

/** Large call: a 1 MB text result and a 200 KB base64 blob in the arguments. */
export const LARGE = {
  args: { filename: 'scan.pdf', mime: 'application/pdf', data: base64Blob(200_000) },
  result: { content: [{ type: 'text', text: prose(1_000_000) }] },
};

class UpstreamError extends Error {
  status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'UpstreamError';
    this.status = status;
  }
}

function callUpstream(path: string): never {
  throw new UpstreamError(`GET ${path} answered 503 Service Unavailable`, 503);
}

function loadInvoices(region: string): never {
  return callUpstream(`/v1/invoices?region=${region}`);
}

function fetchCustomer(id: string): never {
  throw new UpstreamError(`customer ${id} not found (request req_${id}_7f2c)`, 404);
}

function parseReply(index: number): never {
  try {
    return JSON.parse(`{"items":[],"id":${index}x}`) as never;
  } catch (error) {
    throw new SyntaxError(`reply to request ${index} is not JSON: ${(error as Error).message}`);
  }
}

function readQuota(index: number): never {
  throw new RangeError(`quota exceeded for org_${index % 97}: ${1000 + index} of 1000 calls used`);
}

const THROWERS: ((index: number) => never)[] = [
  (i) => callUpstream(`/v1/invoices?region=north&page=${i}`),
  (i) => fetchCustomer(`cus_${i}`),
  (i) => parseReply(i),
  (i) => readQuota(i),
];

/**
 * `count` thrown errors, each with its own message (and so its own stack text), from four throw sites a few
 * frames deep, as a server's real failures are; `seed` keeps two sets apart.
 */
export function freshErrors(count: number, seed = 0): Error[] {
  return Array.from({ length: count }, (_, i) => {
    const index = seed * 1_000_000 + i;
    try {
      THROWERS[i % THROWERS.length]!(index);
    } catch (error) {
      return error as Error;
    }
    return new Error('unreachable');
  });
}

/** A thrown error with a real stack a few frames deep. */
export function realError(): Error {
  try {
    loadInvoices('north');
  } catch (error) {
    return error as Error;
  }
  return new Error('unreachable');
}

/** One tool as a host registers it. */
export type BenchTool = {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, Record<string, unknown>>; required: string[] };
  _meta: Record<string, unknown>;
};

/** `count` realistic tools (default 50): descriptions, 3–6 typed properties, enums, required lists, a category. */
export function tools50(count = 50): BenchTool[] {
  const categories = ['billing', 'crm', 'docs', 'search', 'admin'];
  return Array.from({ length: count }, (_, i) => {
    const properties: Record<string, Record<string, unknown>> = {
      id: { type: 'string', description: 'The record id, as shown in the dashboard.' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      order: { type: 'string', enum: ['asc', 'desc'], description: 'Sort direction.' },
    };
    for (let p = 0; p < i % 4; p++) {
      properties[`filter_${p}`] = {
        type: 'object',
        properties: { field: { type: 'string' }, value: { type: 'string' } },
        required: ['field'],
      };
    }
    return {
      name: `${categories[i % 5]}_action_${i}`,
      description: prose(180, i),
      inputSchema: { type: 'object', properties, required: ['id'] },
      _meta: { category: categories[i % 5] },
    };
  });
}

/** The initialize request and answer of a typical client. */
export const INITIALIZE = {
  parameters: {
    protocolVersion: '2025-06-18',
    capabilities: { roots: { listChanged: true }, sampling: {} },
    clientInfo: { name: 'claude-code', version: '2.0.31' },
  },
  response: {
    protocolVersion: '2025-06-18',
    capabilities: { tools: { listChanged: true }, logging: {} },
    serverInfo: { name: 'billing-mcp', version: '1.4.0' },
  },
};

/** The 50 tools of the list scenarios, and the one the call scenarios call. */
export const TOOLS = tools50();
/** The called tool. */
export const TOOL = TOOLS[7]!;
/** The called tool's name. */
export const TOOL_NAME = TOOL.name;
/** A client's `_meta` on a request. */
export const META = { 'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.0.31' } };
