import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT, PROP } from '../src/events';
import { useIngestionServer } from './helpers/wire';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const RECIPES = readFileSync(join(ROOT, 'examples/dashboards.md'), 'utf8');
const README_SECTION = /^## Dashboards\n([\s\S]*?)^## /m.exec(README)?.[1] ?? '';
const TEXTS = { 'README.md#dashboards': README_SECTION, 'examples/dashboards.md': RECIPES };

/** Properties SPEC §8 adds, which the package declares but does not send yet. */
const SIGNALS_TO_COME: readonly string[] = [
  PROP.emptyResult,
  PROP.repeatCount,
  PROP.errorOrigin,
  PROP.jsonRpcErrorCode,
  PROP.catalogTokensEst,
  PROP.listedTools,
];

/**
 * HogQL functions the recipes may call, each checked against PostHog's HogQL function tables (aggregations:
 * count, countIf, uniq, uniqIf, min, max, argMax, quantile with one parameter; functions: the rest).
 */
const HOGQL_FUNCTIONS = new Set([
  'count',
  'countIf',
  'uniq',
  'uniqIf',
  'min',
  'max',
  'argMax',
  'quantile',
  'round',
  'toFloat',
  'toInt',
  'coalesce',
  'now',
  'arrayJoin',
  'JSONExtractArrayRaw',
  'JSONExtractString',
  'JSONExtractInt',
]);
const SQL_KEYWORDS = new Set(['IN', 'AND', 'OR', 'FROM', 'ON', 'JOIN', 'SELECT', 'WHERE']);

const PROPERTY_NAMES: readonly string[] = Object.values(PROP).filter((name) => name !== PROP.feedbackPrefix);
const declared = new Set<string>([...PROPERTY_NAMES, ...Object.values(EVENT)]);
const sqlBlocks = (text: string) =>
  [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const allSql = Object.values(TEXTS).flatMap(sqlBlocks);

describe('the dashboard recipes', () => {
  it('have a README section and a recipe file, with HogQL queries', () => {
    expect(README_SECTION).toContain('(examples/dashboards.md)');
    expect(sqlBlocks(README_SECTION).length).toBeGreaterThan(0);
    expect(sqlBlocks(RECIPES).length).toBeGreaterThanOrEqual(9);
  });

  it.each(Object.entries(TEXTS))(
    'every property and event %s names is one the package declares',
    (_file, text) => {
      const viaProperties = [...text.matchAll(/properties\.(\$?[A-Za-z_][\w]*)/g)].map((match) => match[1]);
      expect(viaProperties.length).toBeGreaterThan(0);
      expect(viaProperties.filter((name) => !PROPERTY_NAMES.includes(name ?? ''))).toEqual([]);
      const dollarNames = [...text.matchAll(/\$[a-z][a-z0-9_]*/g)].map((match) => match[0]);
      expect(dollarNames.filter((name) => !declared.has(name))).toEqual([]);
      const eventLiterals = [...text.matchAll(/event = '([^']*)'/g)].map((match) => match[1]);
      expect(eventLiterals.filter((name) => !Object.values(EVENT).includes(name as never))).toEqual([]);
    },
  );

  it('answer each question the issue lists', () => {
    const sql = allSql.join('\n');
    for (const property of [
      PROP.serverBuild,
      PROP.toolSchemaHash,
      PROP.repeatCount,
      PROP.emptyResult,
      PROP.errorOrigin,
      PROP.listedTools,
      PROP.clientName,
      PROP.llmModel,
      PROP.durationMs,
      PROP.isError,
    ]) {
      expect(sql, property).toContain(`properties.${property}`);
    }
    expect(sql).toContain(`event = '${EVENT.missingCapability}'`);
    expect(sql).toContain(`event = '${EVENT.toolsList}'`);
    expect(RECIPES).toContain(PROP.catalogTokensEst);
  });

  it.each(allSql.map((sql, index) => [index, sql] as const))(
    'query %i reads events, balances its parentheses and calls only HogQL functions',
    (_index, sql) => {
      expect(sql).toMatch(/\bFROM events\b/);
      let depth = 0;
      for (const char of sql) {
        depth += char === '(' ? 1 : char === ')' ? -1 : 0;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
      const calls = [...sql.matchAll(/\b([A-Za-z_]\w*)\(/g)].map((match) => match[1] ?? '');
      expect(calls.filter((name) => !HOGQL_FUNCTIONS.has(name) && !SQL_KEYWORDS.has(name))).toEqual([]);
      expect(sql).not.toMatch(/;\s*$/);
    },
  );

  describe('on the wire', () => {
    const wire = useIngestionServer();

    it('the properties the recipes read are sent today, apart from the signals still to come', async () => {
      const posthog = wire.client({ serverBuild: 'build-42', reportMissing: true });
      const tool = {
        name: 'search_docs',
        description: 'Search',
        inputSchema: { type: 'object', properties: {} },
      };
      const meta = { 'io.modelcontextprotocol/clientInfo': { name: 'agent', version: '1.0.0' } };
      for (const isError of [false, true]) {
        const args = { context: 'find refunds', llm_model: 'model-x' };
        const call = posthog.prepareToolCall('search_docs', args, { tool, meta, session: 's' });
        posthog.completeToolCall(call, { result: { content: [{ type: 'text', text: 'ok' }], isError } });
      }
      posthog.completeToolCall(
        posthog.prepareToolCall('get_more_tools', { context: 'export' }, { session: 's' }),
      );
      posthog.prepareToolCall('missing_tool', {}, { exists: false, session: 's' });
      await posthog.shutdown();
      const sent = new Set(wire.server.events.flatMap((event) => Object.keys(event.properties)));
      const read = new Set(
        allSql.flatMap((sql) => [...sql.matchAll(/properties\.(\$\w+)/g)].map((m) => m[1] ?? '')),
      );
      expect([...read].filter((name) => !sent.has(name) && !SIGNALS_TO_COME.includes(name))).toEqual([]);
      const names = new Set(wire.server.events.map((event) => event.event));
      for (const name of [EVENT.toolCall, EVENT.missingCapability, EVENT.unknownTool])
        expect(names).toContain(name);
    });
  });
});
