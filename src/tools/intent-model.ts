import { PROP } from '../events';
import type { MetaFields } from '../request/meta';
import type { IntentSource, JsonObject, ModelSource } from '../types';

/** An intent as read from a call, before sanitizing. */
export interface IntentReading {
  intent: string;
  intentSource: IntentSource;
}

/** A model as read from a call, before sanitizing. */
export interface ModelReading {
  llmModel: string;
  llmModelSource: ModelSource;
}

/** True for an intent that says nothing: blank or `{}`. */
export function isBlankIntent(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '{}';
}

const isUsableModel = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.trim().toLowerCase() !== 'unknown';

/**
 * The call's intent, first source wins: the client's `_meta` user intent, the `context` argument (when this
 * package owns it), then a value the caller states.
 */
export function readIntent(
  meta: MetaFields,
  context: unknown,
  stated?: { intent?: unknown; source?: IntentSource | undefined },
): IntentReading | undefined {
  if (!isBlankIntent(meta.userIntent)) {
    return { intent: meta.userIntent as string, intentSource: 'client_metadata' };
  }
  if (!isBlankIntent(context)) return { intent: context as string, intentSource: 'context_parameter' };
  if (stated && !isBlankIntent(stated.intent)) {
    return { intent: stated.intent as string, intentSource: stated.source ?? 'context_parameter' };
  }
  return undefined;
}

/** The call's model, first source wins: `_meta`, the `llm_model` argument, then a value the caller states. */
export function readModel(
  meta: MetaFields,
  argument: unknown,
  stated?: { model?: unknown; source?: ModelSource | undefined },
): ModelReading | undefined {
  if (isUsableModel(meta.model)) return { llmModel: meta.model.trim(), llmModelSource: 'client_metadata' };
  if (isUsableModel(argument)) return { llmModel: argument.trim(), llmModelSource: 'self_reported' };
  if (stated && isUsableModel(stated.model)) {
    return { llmModel: stated.model.trim(), llmModelSource: stated.source ?? 'self_reported' };
  }
  return undefined;
}

/** Writes `$mcp_intent` and `$mcp_llm_model` with their sources into an event's properties. */
export function writeIntentAndModel(
  properties: JsonObject,
  intent: Partial<IntentReading> | undefined,
  model: Partial<ModelReading> | undefined,
): void {
  if (intent?.intent !== undefined) {
    properties[PROP.intent] = intent.intent;
    properties[PROP.intentSource] = intent.intentSource;
  }
  if (model?.llmModel !== undefined) {
    properties[PROP.llmModel] = model.llmModel;
    properties[PROP.llmModelSource] = model.llmModelSource;
  }
}
