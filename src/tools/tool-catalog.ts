import { LruMap } from '../lru-map';
import type { ResolvedOptions } from '../options';
import { readProperty } from '../safe-object';
import type { ListedOrigin } from './catalog-cost';
import { injectArguments } from './inject-arguments';
import { type EnabledArguments, type Ownership, ownershipOf, ownsAny } from './ownership';
import { hasCombinatorRoot } from './schema';
import { feedbackTool, missingCapabilityTool } from './virtual-tools';

/** Most tool names whose ownership a listing remembers. */
export const MAX_LISTED_TOOLS = 5_000;

/** Per-listing switches, overriding the constructor's. */
export interface PrepareToolListOptions {
  /** Append `get_more_tools`. Defaults to the `reportMissing` option. */
  reportMissing?: boolean;
  /** Append `send_feedback`; needs the `collectFeedback` option. Defaults to on when that option is set. */
  collectFeedback?: boolean;
  /** Inject `context` into this listing. Defaults to the `context` option. */
  context?: boolean;
}

/** Which injected arguments a decoration added, as a bit mask. */
function variantOf(ownership: Ownership): number {
  return (ownership.context ? 1 : 0) | (ownership.llmModel ? 2 : 0) | (ownership.conversationId ? 4 : 0);
}

/** The list step, and what this instance learned from its listings. */
export class ToolCatalog {
  readonly #options: ResolvedOptions;
  readonly #owned = new LruMap<string, Ownership>(MAX_LISTED_TOOLS);
  readonly #warned = new LruMap<string, true>(MAX_LISTED_TOOLS);
  readonly #advertised = new Set<string>();
  /** Each decorated tool's undecorated original, so its catalog cost carries the schema hash its calls carry. */
  readonly #origins = new WeakMap<object, ListedOrigin>();

  constructor(options: ResolvedOptions) {
    this.#options = options;
  }

  /** The enabled injected arguments, with a listing's `context` override. */
  enabled(contextOverride?: boolean): EnabledArguments {
    const o = this.#options;
    return {
      context: contextOverride ?? o.context.enabled,
      llmModel: o.captureModel.enabled,
      conversationId: o.conversationAnchoring.enabled,
    };
  }

  /** Decorates a `tools/list` page: injected arguments on each tool, virtual tools appended. */
  prepare<T>(tools: readonly T[], listOptions: PrepareToolListOptions = {}): T[] {
    const enabled = this.enabled(listOptions.context);
    const names = new Set<string>();
    const out = tools.map((tool) => this.#decorate(tool, enabled, names));
    const o = this.#options;
    if ((listOptions.reportMissing ?? o.reportMissing) && !names.has(o.missingCapabilityToolName)) {
      out.push(missingCapabilityTool(o) as T);
      this.#advertised.add(o.missingCapabilityToolName);
    }
    if (
      o.collectFeedback &&
      (listOptions.collectFeedback ?? true) &&
      !names.has(o.collectFeedback.toolName)
    ) {
      out.push(feedbackTool(o, o.collectFeedback) as T);
      this.#advertised.add(o.collectFeedback.toolName);
    }
    return out;
  }

  #decorate<T>(tool: T, enabled: EnabledArguments, names: Set<string>): T {
    const name = readProperty(tool, 'name');
    if (typeof name !== 'string') return tool;
    names.add(name);
    const schema = readProperty(tool, 'inputSchema');
    if (hasCombinatorRoot(schema) && !this.#warned.has(name)) {
      this.#warned.set(name, true);
      this.#options.logger.warn(
        `tool \`${name}\` has a $ref/oneOf/anyOf/allOf root schema; no arguments injected`,
      );
    }
    const ownership = ownershipOf(schema, enabled);
    this.#owned.set(name, ownership);
    if (!ownsAny(ownership)) return tool;
    const decorated = injectArguments(tool as T & object, ownership, this.#options);
    if (decorated !== tool)
      this.#origins.set(decorated, { original: tool as object, variant: variantOf(ownership) });
    return decorated;
  }

  /** The undecorated original of a tool this catalog decorated, and which arguments it injected; else `undefined`. */
  originOf(tool: object): ListedOrigin | undefined {
    return this.#origins.get(tool);
  }

  /** Ownership learned from a listing on this instance, if any. */
  listed(name: string): Ownership | undefined {
    return this.#owned.get(name);
  }

  /** True when a listing on this instance advertised this virtual tool name. */
  advertised(name: string): boolean {
    return this.#advertised.has(name);
  }
}
