import { PROP } from '../events';
import { copyMembers, isPlainObject, type JsonObject, readProperty } from '../safe-object';
import { keyBytesAtMost, MAX_NUMBER_BYTES, rememberJsonBytesAtMost, stringBytesAtMost } from './json-size';
import { MAX_ENTRIES, MAX_NAME_CHARS, MAX_TEXT_CHARS } from './limits';
import { memoizeText } from './memo';
import type { RawSizes } from './raw-size';
import { nameText, sanitizeFreeText, sanitizeName, sanitizeText } from './sanitize';
import { sanitizePayload } from './sanitize-payload';

type Kind = 'name' | 'text' | 'freeText' | 'freeName' | 'payload' | 'names' | 'tools' | 'keep';

/** How each property this package sets is sanitized; unlisted keys are treated as payload. */
const KIND: Record<string, Kind> = {
  [PROP.interface]: 'keep',
  [PROP.sessionId]: 'keep',
  [PROP.source]: 'keep',
  [PROP.isError]: 'keep',
  [PROP.durationMs]: 'keep',
  [PROP.errorStatus]: 'keep',
  [PROP.errorOrigin]: 'keep',
  [PROP.jsonRpcErrorCode]: 'keep',
  [PROP.feedbackType]: 'keep',
  [PROP.feedbackSentiment]: 'keep',
  [PROP.feedbackTaskCompleted]: 'keep',
  [PROP.inputKeys]: 'keep',
  [PROP.inputAliasesUsed]: 'keep',
  [PROP.intentSource]: 'keep',
  [PROP.llmModelSource]: 'keep',
  [PROP.traceId]: 'keep',
  [PROP.spanId]: 'keep',
  [PROP.aiTraceId]: 'keep',
  [PROP.aiSpanId]: 'keep',
  [PROP.aiParentId]: 'keep',
  [PROP.toolSchemaHash]: 'keep',
  [PROP.inputTokensEst]: 'keep',
  // Copied and sanitized by `normalizeIdentity` when the request was resolved: no second pass per event.
  [PROP.set]: 'keep',
  [PROP.groups]: 'keep',
  [PROP.outputTokensEst]: 'keep',
  [PROP.emptyResult]: 'keep',
  [PROP.repeatCount]: 'keep',
  [PROP.argsHash]: 'keep',
  [PROP.exceptionsSuppressed]: 'keep',
  [PROP.catalogTokensEst]: 'keep',
  [PROP.listedTools]: 'tools',
  [PROP.toolName]: 'name',
  [PROP.resourceName]: 'name',
  [PROP.llmModel]: 'name',
  [PROP.conversationId]: 'name',
  [PROP.clientName]: 'name',
  [PROP.clientVersion]: 'name',
  [PROP.protocolVersion]: 'name',
  [PROP.serverName]: 'name',
  [PROP.serverVersion]: 'name',
  [PROP.serverBuild]: 'keep',
  [PROP.clientUserAgent]: 'name',
  [PROP.vendorClient]: 'name',
  [PROP.errorType]: 'name',
  [PROP.traceState]: 'name',
  [PROP.toolDescription]: 'text',
  [PROP.toolCategory]: 'text',
  [PROP.errorMessage]: 'text',
  [PROP.intent]: 'freeText',
  [PROP.feedbackSummary]: 'freeText',
  [PROP.feedbackDetails]: 'freeText',
  [PROP.feedbackFrictionPoints]: 'freeText',
  [PROP.feedbackSuggestedImprovement]: 'freeText',
  [PROP.feedbackTool]: 'freeName',
  [PROP.listedToolNames]: 'names',
  [PROP.listedResourceNames]: 'names',
  [PROP.listedPromptNames]: 'names',
  [PROP.promptName]: 'name',
  [PROP.inputRequestMethods]: 'names',
};

function sanitizeNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  let bytes = 2;
  for (let i = 0; i < Math.min(value.length, 10 * MAX_ENTRIES); i++) {
    const name: unknown = value[i];
    const text = typeof name === 'string' ? nameText(name) : '';
    names.push(text);
    bytes += stringBytesAtMost(text, true) + 1;
  }
  // Built here, so its size bound is known without a second walk (see `sanitizePayload`'s `remember`).
  rememberJsonBytesAtMost(names, bytes);
  return names;
}

/** A listed tool's bytes besides its name and hash strings: braces, comma, four keys and two numbers, bounded. */
const LISTED_TOOL_BYTES =
  3 +
  ['name', 'description_tokens_est', 'schema_tokens_est', 'schema_hash'].reduce(
    (sum, key) => sum + keyBytesAtMost(key),
    0,
  ) +
  2 * MAX_NUMBER_BYTES;

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** `$mcp_listed_tools`: at most 100 entries of the four known members, the names sanitized as names. */
function sanitizeListedTools(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) return [];
  const entries: JsonObject[] = [];
  let bytes = 2;
  for (let i = 0; i < Math.min(value.length, MAX_ENTRIES); i++) {
    const entry: unknown = value[i];
    if (!isPlainObject(entry)) continue;
    const hash = readProperty(entry, 'schema_hash');
    const name = sanitizeName(readProperty(entry, 'name')) ?? '';
    const schemaHash = typeof hash === 'string' ? sanitizeText(hash, MAX_NAME_CHARS) : undefined;
    entries.push({
      name,
      description_tokens_est: count(readProperty(entry, 'description_tokens_est')),
      schema_tokens_est: count(readProperty(entry, 'schema_tokens_est')),
      schema_hash: schemaHash,
    });
    // Keys and numbers counted as `jsonBytesAtMost` counts them.
    bytes += LISTED_TOOL_BYTES + stringBytesAtMost(name, true);
    if (schemaHash !== undefined) bytes += stringBytesAtMost(schemaHash, true);
  }
  rememberJsonBytesAtMost(entries, bytes);
  return entries;
}

/** A declared feedback extra: free text for strings, numbers and booleans as they are, other JSON as free text. */
function sanitizeExtra(value: unknown): unknown {
  if (typeof value === 'string') return sanitizeFreeText(value);
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  try {
    const json = JSON.stringify(sanitizePayload(value, { maxStringChars: MAX_TEXT_CHARS }));
    return json === undefined ? undefined : sanitizeText(json, MAX_TEXT_CHARS, { freeText: true });
  } catch {
    return undefined;
  }
}

/** A name taken as free text (an unregistered tool's, a feedback tool's), remembered for short ones: they recur. */
const freeNameText = memoizeText((value) => sanitizeFreeText(value, MAX_NAME_CHARS), 2_048, 128);
const freeName = (value: unknown): string | undefined =>
  typeof value === 'string' ? freeNameText(value) : undefined;

/** Sanitizes one property by its kind; `undefined` means leave it out. `sizes`: see `SanitizePayloadOptions`. */
export function sanitizeProperty(
  key: string,
  value: unknown,
  nameIsRegistered: boolean,
  sizes?: RawSizes,
): unknown {
  const kind = KIND[key] ?? (key.startsWith(PROP.feedbackPrefix) ? 'extra' : 'payload');
  switch (kind) {
    case 'keep':
      return value;
    case 'name':
      return key === PROP.toolName && !nameIsRegistered ? freeName(value) : sanitizeName(value);
    case 'text':
      return typeof value === 'string' && value.trim() !== ''
        ? sanitizeText(value, MAX_TEXT_CHARS)
        : undefined;
    case 'freeText':
      return sanitizeFreeText(value);
    case 'freeName':
      return freeName(value);
    case 'names':
      return sanitizeNames(value);
    case 'tools':
      return sanitizeListedTools(value);
    case 'extra':
      return sanitizeExtra(value);
    default:
      return sanitizePayload(value, { sizes, remember: true });
  }
}

/**
 * Sanitizes raw properties by the kind table, dropping `undefined` values; extra user properties go first.
 * `sizes`: records the raw sizes of the wanted objects the payload walks read whole.
 */
export function sanitizeProperties(
  raw: JsonObject,
  extra: unknown,
  nameIsRegistered: boolean,
  sizes?: RawSizes,
): JsonObject {
  const copy = typeof extra === 'object' && extra !== null ? sanitizePayload(extra) : undefined;
  return sanitizeInto(isPlainObject(copy) ? copyMembers(copy) : {}, raw, nameIsRegistered, sizes);
}

/**
 * Adds raw properties to sanitized ones (`out`, which it returns) by the kind table: as if `raw` had been part of
 * the properties `out` was sanitized from, so measured values can join an event after its payloads were copied.
 */
export function sanitizeInto(
  out: JsonObject,
  raw: JsonObject,
  nameIsRegistered: boolean,
  sizes?: RawSizes,
): JsonObject {
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (value === undefined) continue;
    const clean = sanitizeProperty(key, value, nameIsRegistered, sizes);
    // Deleting only what the extra properties set: a delete turns the object into a slow dictionary.
    if (clean !== undefined) out[key] = clean;
    else if (Object.hasOwn(out, key)) delete out[key];
  }
  return out;
}
