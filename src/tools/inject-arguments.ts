import { INJECTED, type ResolvedOptions } from '../options';
import { isPlainObject, readProperty } from '../safe-object';
import type { JsonObject } from '../types';
import { amendObject } from './amend-object';
import { CONTEXT_DESCRIPTION, CONVERSATION_ID_DESCRIPTION, LLM_MODEL_DESCRIPTION } from './descriptions';
import type { Ownership } from './ownership';

type InjectedKey = keyof typeof INJECTED;

/** Longest `required` list extended; a longer one is left as the host built it. */
const MAX_REQUIRED_NAMES = 10_000;

/** The schema of one injected argument, with the configured or default description. */
export function injectedProperty(key: InjectedKey, options: ResolvedOptions): JsonObject {
  const description =
    key === 'context'
      ? (options.context.description ?? CONTEXT_DESCRIPTION)
      : key === 'llmModel'
        ? (options.captureModel.description ?? LLM_MODEL_DESCRIPTION)
        : (options.conversationAnchoring.description ?? CONVERSATION_ID_DESCRIPTION);
  return { type: 'string', description };
}

function ownedMembers(
  ownership: Ownership,
  options: ResolvedOptions,
): { added: JsonObject; required: string[] } {
  const added: JsonObject = {};
  const required: string[] = [];
  for (const key of ['context', 'llmModel', 'conversationId'] as const) {
    if (!ownership[key]) continue;
    added[INJECTED[key]] = injectedProperty(key, options);
    if (key !== 'conversationId') required.push(INJECTED[key]);
  }
  return { added, required };
}

/** The input schema with the owned arguments added to `properties` and `required`, nothing else changed. */
function injectedSchema(schema: unknown, ownership: Ownership, options: ResolvedOptions): object {
  const { added, required } = ownedMembers(ownership, options);
  const base: object = isPlainObject(schema) ? schema : { type: 'object' };
  const properties = readProperty(base, 'properties');
  const listed = readProperty(base, 'required');
  const names = Array.isArray(listed) ? listed : [];
  const members: JsonObject = readProperty(base, 'type') === undefined ? { type: 'object' } : {};
  members.properties =
    (isPlainObject(properties) ? amendObject(properties, () => added) : undefined) ?? added;
  members.required = names.length <= MAX_REQUIRED_NAMES ? [...names, ...required] : names;
  return amendObject(base, () => members) ?? { type: 'object', ...members };
}

/**
 * Returns the tool with its owned arguments added to its input schema's `properties` and `required`; every
 * other member (prototype getters, `toJSON`, symbols) is delivered as the host built it.
 */
export function injectArguments<T extends object>(
  tool: T,
  ownership: Ownership,
  options: ResolvedOptions,
): T {
  const amended = amendObject(tool, (source) => ({
    inputSchema: injectedSchema(readProperty(source, 'inputSchema'), ownership, options),
  }));
  return amended ?? tool;
}
