import { INJECTED, type ResolvedOptions } from '../options';
import { copyMembers, isPlainObject } from '../safe-object';
import type { JsonObject } from '../types';
import { CONTEXT_DESCRIPTION, CONVERSATION_ID_DESCRIPTION, LLM_MODEL_DESCRIPTION } from './descriptions';
import type { Ownership } from './ownership';

type InjectedKey = keyof typeof INJECTED;

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

/** Returns the tool with its owned arguments added to a shallow copy of its input schema. */
export function injectArguments<T extends object>(
  tool: T,
  ownership: Ownership,
  options: ResolvedOptions,
): T {
  const schema = (tool as { inputSchema?: unknown }).inputSchema;
  const base: JsonObject = isPlainObject(schema) ? schema : { type: 'object' };
  const properties: JsonObject = isPlainObject(base.properties) ? copyMembers(base.properties) : {};
  const required: unknown[] = Array.isArray(base.required) ? [...base.required] : [];
  if (ownership.context) {
    properties[INJECTED.context] = injectedProperty('context', options);
    required.push(INJECTED.context);
  }
  if (ownership.llmModel) {
    properties[INJECTED.llmModel] = injectedProperty('llmModel', options);
    required.push(INJECTED.llmModel);
  }
  if (ownership.conversationId)
    properties[INJECTED.conversationId] = injectedProperty('conversationId', options);
  return { ...tool, inputSchema: { ...base, type: base.type ?? 'object', properties, required } };
}
