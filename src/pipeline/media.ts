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

/** Shallow copies that changed nothing (no block replaced or left out), by copy: their sizes are their results'. */
const FAITHFUL = new WeakMap<object, unknown>();

/** Whether `copy` is `result`, or a copy of it by `replaceMediaBlocks` that replaced and left out nothing. */
export function isFaithfulCopy(copy: unknown, result: unknown): boolean {
  return copy === result || (typeof copy === 'object' && copy !== null && FAITHFUL.get(copy) === result);
}

/** Returns a shallow copy of a tool result with image, audio and blob content replaced by text placeholders. */
export function replaceMediaBlocks(result: unknown): unknown {
  try {
    if (!isRecord(result)) return result;
    const content = result.content;
    if (!Array.isArray(content)) return faithful({ ...result }, result);
    const blocks: unknown[] = [];
    const count = Math.min(content.length, MAX_ENTRIES);
    let same = count === content.length;
    for (let index = 0; index < count; index++) {
      let block: unknown;
      const kept = replaceBlock(() => {
        block = content[index];
        return block;
      });
      blocks.push(kept);
      same &&= kept === block;
    }
    const copy = { ...result, content: blocks };
    return same ? faithful(copy, result) : copy;
  } catch {
    return result;
  }
}

function faithful(copy: object, result: object): object {
  FAITHFUL.set(copy, result);
  return copy;
}
