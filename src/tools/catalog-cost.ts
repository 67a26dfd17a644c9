import { PROP } from '../events';
import { readProperty } from '../safe-object';
import { BYTES_PER_TOKEN, estimateJsonBytes, estimateTokens } from '../token-estimate';
import type { JsonObject } from '../types';
import type { ToolFingerprints } from './tool-fingerprint';

/** Most tools described in `$mcp_listed_tools`, and measured one by one for `$mcp_catalog_tokens_est`. */
export const MAX_LISTED_TOOL_ENTRIES = 100;

/** Where a listed tool came from: the host's descriptor, and which injected arguments were added (a bit mask). */
export interface ListedOrigin {
  original: object;
  variant: number;
}

/** One listed tool's cost, as measured once per descriptor and variant. */
interface ToolCost {
  /** Estimated UTF-8 bytes of the tool's JSON as listed. */
  bytes: number;
  descriptionTokens: number;
  schemaTokens: number;
  schemaHash: string;
}

/** The bits of {@link ListedOrigin.variant}: 8 variants at most. */
const VARIANTS = 8;

/**
 * `$mcp_catalog_tokens_est` and `$mcp_listed_tools` of a `tools/list` page, off the request path. Each tool is
 * measured once per descriptor object (a decorated tool under its undecorated original and variant), so a page
 * listed again costs lookups only. At most {@link MAX_LISTED_TOOL_ENTRIES} tools are measured per page; the
 * rest of a longer page counts at their average size.
 */
export class CatalogCosts {
  readonly #fingerprints: ToolFingerprints;
  readonly #originOf: (tool: object) => ListedOrigin | undefined;
  readonly #cache = new WeakMap<object, (ToolCost | undefined)[]>();

  constructor(fingerprints: ToolFingerprints, originOf: (tool: object) => ListedOrigin | undefined) {
    this.#fingerprints = fingerprints;
    this.#originOf = originOf;
  }

  /** The page's measured properties; never throws. */
  measure(tools: readonly unknown[]): JsonObject {
    const count = tools.length;
    const measured = Math.min(count, MAX_LISTED_TOOL_ENTRIES);
    const entries: JsonObject[] = [];
    let bytes = 0;
    for (let index = 0; index < measured; index++) {
      const tool = tools[index];
      if (typeof tool !== 'object' || tool === null) {
        bytes += estimateJsonBytes(tool);
        continue;
      }
      const cost = this.#costOf(tool);
      bytes += cost.bytes;
      entries.push({
        name: readProperty(tool, 'name'),
        description_tokens_est: cost.descriptionTokens,
        schema_tokens_est: cost.schemaTokens,
        schema_hash: cost.schemaHash,
      });
    }
    const page = 2 + Math.max(0, count - 1) + (measured === 0 ? 0 : (bytes * count) / measured);
    return {
      [PROP.catalogTokensEst]: Math.ceil(page / BYTES_PER_TOKEN),
      [PROP.listedTools]: entries,
    };
  }

  #costOf(tool: object): ToolCost {
    const origin = this.#originOf(tool);
    const key = origin?.original ?? tool;
    const variant = (origin?.variant ?? 0) % VARIANTS;
    let slots = this.#cache.get(key);
    const cached = slots?.[variant];
    if (cached) return cached;
    const cost = measureTool(tool, this.#fingerprints.hashOf(key));
    if (!slots) {
      slots = [];
      this.#cache.set(key, slots);
    }
    slots[variant] = cost;
    return cost;
  }
}

function measureTool(tool: object, schemaHash: string): ToolCost {
  let bytes = 0;
  try {
    bytes = estimateJsonBytes(tool);
  } catch {
    // An unreadable tool counts as nothing rather than failing the page.
  }
  return {
    bytes,
    descriptionTokens: estimateTokens(readProperty(tool, 'description')) ?? 0,
    schemaTokens: estimateTokens(readProperty(tool, 'inputSchema')) ?? 0,
    schemaHash,
  };
}
