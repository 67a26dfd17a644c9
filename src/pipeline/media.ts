import { BINARY_PLACEHOLDER, MAX_ENTRIES } from './limits';
import { MARKER } from './sanitize';

/** The text that replaces an image content block in a captured response. */
export const IMAGE_PLACEHOLDER = '[image redacted - not supported by PostHog MCP analytics]';
/** The text that replaces an audio content block in a captured response. */
export const AUDIO_PLACEHOLDER = '[audio redacted - not supported by PostHog MCP analytics]';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function replaceBlock(readBlock: () => unknown): unknown {
  try {
    const block = readBlock();
    if (!isRecord(block)) return block;
    if (block.type === 'image') return { type: 'text', text: IMAGE_PLACEHOLDER };
    if (block.type === 'audio') return { type: 'text', text: AUDIO_PLACEHOLDER };
    const resource = block.resource;
    if (block.type === 'resource' && isRecord(resource) && 'blob' in resource) {
      return { ...block, resource: { ...resource, blob: BINARY_PLACEHOLDER } };
    }
    return block;
  } catch {
    return MARKER.unreadable;
  }
}

/** Returns a shallow copy of a tool result with image, audio and blob content replaced by text placeholders. */
export function replaceMediaBlocks(result: unknown): unknown {
  try {
    if (!isRecord(result)) return result;
    const content = result.content;
    if (!Array.isArray(content)) return { ...result };
    const blocks: unknown[] = [];
    const count = Math.min(content.length, MAX_ENTRIES);
    for (let index = 0; index < count; index++) blocks.push(replaceBlock(() => content[index]));
    return { ...result, content: blocks };
  } catch {
    return result;
  }
}
