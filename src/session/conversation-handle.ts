import { uuidv7 } from 'posthog-node';

/** A UUID is 36 characters: 8-4-4-4-12 hex digits joined by hyphens. */
const UUID_LENGTH = 36;
const UUIDV7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** Longest handle block text worth parsing: the compact form plus generous whitespace. */
const MAX_HANDLE_BLOCK_CHARS = 256;

/** A text content block carrying a conversation handle back to the agent. */
export interface HandleResultBlock {
  type: 'text';
  text: string;
}

/**
 * Returns `value` lowercased when it is a UUIDv7-shaped conversation handle, else `undefined`.
 *
 * @example
 * normalizeConversationHandle('0190F0E8-7A6B-7C3D-9E4F-5A6B7C8D9E0F'); // '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f'
 */
export function normalizeConversationHandle(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== UUID_LENGTH) return undefined;
  return UUIDV7_PATTERN.test(value) ? value.toLowerCase() : undefined;
}

/** Mints a new conversation handle: a lowercase UUIDv7. */
export function mintConversationHandle(): string {
  return uuidv7().toLowerCase();
}

/**
 * Builds the text block appended to a tool result to deliver a conversation handle.
 *
 * @example
 * handleResultBlock(handle); // { type: 'text', text: '{"conversation_id":"<handle>"}' }
 */
export function handleResultBlock(handle: string): HandleResultBlock {
  return { type: 'text', text: JSON.stringify({ conversation_id: handle }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readHandleFromText(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length > MAX_HANDLE_BLOCK_CHARS) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || Object.keys(parsed).length !== 1) return undefined;
  return normalizeConversationHandle(parsed.conversation_id);
}

/**
 * Reads the conversation handle from a tool result whose last content block is a handle block, else
 * `undefined`; never throws.
 */
export function readHandleFromResult(result: unknown): string | undefined {
  try {
    if (!isRecord(result) || !Array.isArray(result.content)) return undefined;
    const last: unknown = result.content[result.content.length - 1];
    if (!isRecord(last) || last.type !== 'text') return undefined;
    return readHandleFromText(last.text);
  } catch {
    return undefined;
  }
}
