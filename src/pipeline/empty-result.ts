import { isPlainObject, readProperty } from '../safe-object';
import { MAX_ENTRIES } from './limits';

/** Longest text block that can still count as empty; longer text is content, whatever it holds. */
const MAX_BLANK_TEXT_CHARS = 4_096;
const EMPTY_TEXTS: ReadonlySet<string> = new Set(['', '[]', '{}', 'null']);

function isEmptyText(block: unknown): boolean {
  if (readProperty(block, 'type') !== 'text') return false;
  const text = readProperty(block, 'text');
  if (typeof text !== 'string') return true;
  return text.length <= MAX_BLANK_TEXT_CHARS && EMPTY_TEXTS.has(text.trim());
}

function hasMembers(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (!isPlainObject(value)) return value !== undefined && value !== null;
  try {
    for (const _ in value) return true;
  } catch {
    return true;
  }
  return false;
}

/**
 * `$mcp_empty_result` of a successful tool result: true when it has no content blocks, or only text blocks
 * that are blank, `[]`, `{}` or `null`, and no `structuredContent` with members. Reads at most 100 blocks
 * (a longer result counts as content), so its cost is bounded whatever the result.
 */
export function isEmptyResult(result: unknown): boolean {
  if (hasMembers(readProperty(result, 'structuredContent'))) return false;
  const content = readProperty(result, 'content');
  if (content === undefined || content === null) return true;
  if (!Array.isArray(content)) return false;
  if (content.length > MAX_ENTRIES) return false;
  for (let index = 0; index < content.length; index++) {
    if (!isEmptyText(content[index])) return false;
  }
  return true;
}
