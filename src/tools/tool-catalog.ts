import { types } from 'node:util';
import { LruMap } from '../lru-map';
import type { ResolvedOptions } from '../options';
import { readProperty } from '../safe-object';
import { createStamp } from './call-stamp';
import type { ListedOrigin } from './catalog-cost';
import { injectArguments } from './inject-arguments';
import { type EnabledArguments, type Ownership, ownershipOf, ownsAny, sameOwnership } from './ownership';
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
  /**
   * Each decorated tool's undecorated original, so its catalog cost carries the schema hash its calls carry: on
   * the decorated copy itself (a stamp, not a `WeakMap` entry per tool per listing), or in `#viewOrigins` for a
   * copy a stamp cannot carry (a frozen copy, a view).
   */
  readonly #origins = createStamp<ListedOrigin>();
  readonly #viewOrigins = new WeakMap<object, ListedOrigin>();

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
    const ownership = this.#learn(name, ownershipOf(schema, enabled));
    if (!ownsAny(ownership)) return tool;
    const decorated = injectArguments(tool as T & object, ownership, this.#options);
    if (decorated !== tool) {
      const origin = { original: tool as object, variant: variantOf(ownership) };
      if (Object.isExtensible(decorated) && !types.isProxy(decorated))
        this.#origins.attach(decorated, origin);
      else this.#viewOrigins.set(decorated, origin);
    }
    return decorated;
  }

  /**
   * Remembers a tool's ownership as the most recently listed. A tool listed again unchanged keeps the object it
   * had: a page listed over and over retains nothing new per listing.
   */
  #learn(name: string, ownership: Ownership): Ownership {
    const known = this.#owned.peek(name);
    const kept = known !== undefined && sameOwnership(known, ownership) ? known : ownership;
    this.#owned.set(name, kept);
    return kept;
  }

  /** The undecorated original of a tool this catalog decorated, and which arguments it injected; else `undefined`. */
  originOf(tool: object): ListedOrigin | undefined {
    return this.#origins.read(tool) ?? this.#viewOrigins.get(tool);
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
