import { INJECTED, type ResolvedOptions } from '../options';
import { declaredNames, hasCombinatorRoot } from './schema';

/** Which injected arguments the package owns on one tool, and the names the tool declares itself. */
export interface Ownership {
  context: boolean;
  llmModel: boolean;
  conversationId: boolean;
  declared: readonly string[];
}

/** The injected arguments that are enabled. */
export interface EnabledArguments {
  context: boolean;
  llmModel: boolean;
  conversationId: boolean;
}

/** Ownership for a tool with no usable schema: nothing injected, nothing declared. */
export const NO_OWNERSHIP: Ownership = {
  context: false,
  llmModel: false,
  conversationId: false,
  declared: [],
};

/** Works out which enabled arguments would be injected into a tool with this input schema. */
export function ownershipOf(inputSchema: unknown, enabled: EnabledArguments): Ownership {
  const declared = declaredNames(inputSchema);
  if (hasCombinatorRoot(inputSchema)) return { ...NO_OWNERSHIP, declared };
  return {
    context: enabled.context && !declared.includes(INJECTED.context),
    llmModel: enabled.llmModel && !declared.includes(INJECTED.llmModel),
    conversationId: enabled.conversationId && !declared.includes(INJECTED.conversationId),
    declared,
  };
}

/** Whether two ownerships inject the same arguments and declare the same names, in the same order. */
export function sameOwnership(a: Ownership, b: Ownership): boolean {
  if (a.context !== b.context || a.llmModel !== b.llmModel || a.conversationId !== b.conversationId)
    return false;
  const declared = a.declared;
  if (declared.length !== b.declared.length) return false;
  for (let index = 0; index < declared.length; index++) {
    if (declared[index] !== b.declared[index]) return false;
  }
  return true;
}

/** True when the package injects at least one argument. */
export function ownsAny(ownership: Ownership): boolean {
  return ownership.context || ownership.llmModel || ownership.conversationId;
}

/** The injected arguments the options enable. */
export function enabledArguments(options: ResolvedOptions): EnabledArguments {
  return {
    context: options.context.enabled,
    llmModel: options.captureModel.enabled,
    conversationId: options.conversationAnchoring.enabled,
  };
}
