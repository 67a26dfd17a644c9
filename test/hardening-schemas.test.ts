import { describe, expect, it } from 'vitest';
import { sanitizePayload } from '../src/pipeline/sanitize-payload';
import { estimateJsonBytes, estimateTokens } from '../src/token-estimate';
import { ToolFingerprints, toolSchemaHash, UNHASHABLE_SCHEMA } from '../src/tools/tool-fingerprint';
import type { ToolDescriptor } from '../src/types';
import { useIngestionServer } from './helpers/wire';

type Node = Record<string, unknown>;
const HEX = /^[0-9a-f]{16}$/;

/** A schema as `$ref` dereferencing leaves it: the node refers to itself through several members. */
function selfCycle(): Node {
  const node: Node = { type: 'object', properties: {} };
  Object.assign(node.properties as Node, { and: node, or: node, not: node });
  return node;
}

function mutualCycle(): Node {
  const a: Node = { type: 'object', properties: {} };
  const b: Node = { type: 'array', items: a, anyOf: [a, a] };
  Object.assign(a.properties as Node, { child: b, sibling: b });
  return a;
}

function arrayCycle(): Node {
  const list: unknown[] = [];
  for (let index = 0; index < 8; index++) list.push(list);
  return { type: 'object', properties: { q: { anyOf: list } } };
}

/** A shared-reference diamond: not a cycle, but 2^levels paths if walked naively. */
function diamond(levels: number): Node {
  let node: Node = { type: 'string' };
  for (let level = 0; level < levels; level++) node = { anyOf: [node, node], allOf: [node] };
  return { type: 'object', properties: { q: node } };
}

function wide(keys: number): Node {
  const properties: Node = {};
  for (let index = 0; index < keys; index++) properties[`p${index}`] = { type: 'string' };
  return { type: 'object', properties };
}

/** A node whose keys are listed through a proxy trap, counting how often anything enumerates it. */
function countedNode(inner: object): { node: object; listings: () => number } {
  let count = 0;
  const node = new Proxy(inner, {
    ownKeys(target) {
      count += 1;
      return Reflect.ownKeys(target);
    },
  });
  return { node, listings: () => count };
}

const CYCLES: [string, () => Node][] = [
  ['a node that is its own property', selfCycle],
  ['two nodes that refer to each other', mutualCycle],
  ['an array that contains itself', arrayCycle],
];

describe('schema hashes of cyclic, shared and huge schemas', () => {
  it.each(CYCLES)('%s hashes to a stable hex value', (_, build) => {
    const hash = toolSchemaHash({ description: 'd', inputSchema: build() });
    expect(hash).toMatch(HEX);
    expect(toolSchemaHash({ description: 'd', inputSchema: build() })).toBe(hash);
    expect(toolSchemaHash({ description: 'other', inputSchema: build() })).not.toBe(hash);
  });

  it('distinguishes different cycle shapes', () => {
    const hashes = CYCLES.map(([, build]) => toolSchemaHash({ inputSchema: build() }));
    expect(new Set(hashes).size).toBe(CYCLES.length);
  });

  it.each([
    ['a shared-reference diamond 30 levels deep', () => diamond(30)],
    ['fifty thousand properties', () => wide(50_000)],
    ['a 2 MB description', () => ({ type: 'object', description: 'x'.repeat(2_000_000) })],
  ])('%s gets the unhashable marker', (_, build) => {
    expect(toolSchemaHash({ inputSchema: build() })).toBe(UNHASHABLE_SCHEMA);
  });

  it('a small diamond is within the bounds and hashes', () => {
    expect(toolSchemaHash({ inputSchema: diamond(6) })).toMatch(HEX);
  });

  it.each([
    [
      'a throwing getter',
      {
        type: 'object',
        get properties(): never {
          throw new Error('no');
        },
      },
    ],
    [
      'a revoked proxy',
      (() => {
        const r = Proxy.revocable({}, {});
        r.revoke();
        return { properties: { q: r.proxy } };
      })(),
    ],
    [
      'a throwing ownKeys trap',
      {
        properties: new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('no');
            },
          },
        ),
      },
    ],
  ])('%s inside the schema gets the marker and never throws', (_, inputSchema) => {
    expect(toolSchemaHash({ inputSchema })).toBe(UNHASHABLE_SCHEMA);
  });

  it('an unhashable descriptor is walked once and its marker cached', () => {
    const { node, listings } = countedNode(diamond(30));
    const fingerprints = new ToolFingerprints();
    const descriptor = { inputSchema: { type: 'object', properties: { q: node } } };
    expect(fingerprints.hashOf(descriptor)).toBe(UNHASHABLE_SCHEMA);
    const walked = listings();
    expect(fingerprints.hashOf(descriptor)).toBe(UNHASHABLE_SCHEMA);
    expect(fingerprints.hashOf(descriptor)).toBe(UNHASHABLE_SCHEMA);
    expect(listings()).toBe(walked);
  });
});

describe('token estimates and payload copies of cyclic and shared values', () => {
  function wideSelf(): Node {
    const node: Node = {};
    for (let index = 0; index < 5_000; index++) node[`k${index}`] = node;
    return node;
  }

  it.each([
    ['an object whose 5,000 members are itself', wideSelf],
    [
      'an array whose 5,000 items are itself',
      () => {
        const list: unknown[] = [];
        for (let index = 0; index < 5_000; index++) list.push(list);
        return list;
      },
    ],
    ['a diamond 30 levels deep', () => diamond(30)],
  ])('%s is estimated within the node bound', (_, build) => {
    const bytes = estimateJsonBytes(build());
    expect(bytes).toBeGreaterThan(0);
    expect(estimateTokens(build())).toBe(Math.ceil(bytes / 4));
  });

  it('a wide object shared by many members is enumerated once by the estimate', () => {
    const { node, listings } = countedNode(wide(2_000).properties as object);
    estimateJsonBytes(Array.from({ length: 500 }, () => node));
    expect(listings()).toBe(1);
  });

  it('a wide object shared by many members is enumerated once by sanitizePayload', () => {
    const { node, listings } = countedNode(wide(2_000).properties as object);
    const copy = sanitizePayload({ rows: Array.from({ length: 50 }, () => node) }) as { rows: unknown[] };
    expect(copy.rows.length).toBeGreaterThan(1);
    expect(listings()).toBe(1);
  });
});

describe('schema hashes on the wire', () => {
  const wire = useIngestionServer();

  async function callTwice(descriptor: ToolDescriptor): Promise<unknown[]> {
    const client = wire.client();
    for (let round = 0; round < 2; round++) {
      const call = client.prepareToolCall('walk', { q: 'x' }, { tool: descriptor });
      client.completeToolCall(call, { result: { content: [{ type: 'text', text: 'ok' }] } });
    }
    await client.shutdown();
    return wire.server.eventsNamed('$mcp_tool_call').map((event) => event.properties.$mcp_tool_schema_hash);
  }

  it('a tool with a cyclic schema is called and its events carry the hash', async () => {
    const descriptor = { name: 'walk', inputSchema: selfCycle() } as ToolDescriptor;
    const hashes = await callTwice(descriptor);
    expect(hashes).toEqual([toolSchemaHash(descriptor), toolSchemaHash(descriptor)]);
    expect(hashes[0]).toMatch(HEX);
  });

  it('a tool whose schema cannot be hashed is sent with the marker, walking the schema once', async () => {
    const { node, listings } = countedNode(diamond(30));
    const descriptor = { name: 'walk', inputSchema: { type: 'object', properties: { q: node } } };
    const hashes = await callTwice(descriptor as ToolDescriptor);
    expect(hashes).toEqual([UNHASHABLE_SCHEMA, UNHASHABLE_SCHEMA]);
    expect(listings()).toBeLessThanOrEqual(2);
  });
});
