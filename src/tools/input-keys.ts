import { INJECTED } from '../options';
import { MAX_INPUT_KEY_CHARS, MAX_INPUT_KEYS, REDACTED } from '../pipeline/limits';
import { isPlainObject } from '../safe-object';
import type { JsonObject } from '../types';
import type { Ownership } from './ownership';

const INJECTED_NAMES: readonly string[] = Object.values(INJECTED);

/** The argument names the agent sent, as `$mcp_input_keys`: declared ones sorted, then the rest, then one marker. */
export function inputKeys(
  args: unknown,
  ownership: Ownership | undefined,
  aliases: Record<string, readonly string[]> | undefined,
): string[] {
  try {
    return listInputKeys(args, ownership, aliases);
  } catch {
    // Arguments whose keys cannot be listed (a throwing proxy) are recorded as the marker alone.
    return [REDACTED];
  }
}

function listInputKeys(
  args: unknown,
  ownership: Ownership | undefined,
  aliases: Record<string, readonly string[]> | undefined,
): string[] {
  if (!isPlainObject(args)) return [];
  const declared = new Set(ownership?.declared ?? []);
  for (const names of Object.values(aliases ?? {})) for (const name of names) declared.add(name);
  const known: string[] = [];
  let unrecorded = false;
  for (const key of Object.keys(args)) {
    if (INJECTED_NAMES.includes(key) && !ownership?.declared.includes(key)) continue;
    if (declared.has(key) && key.length <= MAX_INPUT_KEY_CHARS) known.push(key);
    else unrecorded = true;
  }
  const keys = known.sort().slice(0, MAX_INPUT_KEYS);
  if (unrecorded && keys.length < MAX_INPUT_KEYS) keys.push(REDACTED);
  return keys;
}

/** The arguments sent only under an alias, as sorted `"<alias>:<canonical>"` strings. */
export function aliasesUsed(args: unknown, aliases: Record<string, readonly string[]> | undefined): string[] {
  if (!isPlainObject(args) || !aliases) return [];
  try {
    return listAliases(args, aliases);
  } catch {
    return [];
  }
}

function listAliases(args: JsonObject, aliases: Record<string, readonly string[]>): string[] {
  const used: string[] = [];
  for (const [canonical, names] of Object.entries(aliases)) {
    if (Object.hasOwn(args, canonical) || canonical.length > MAX_INPUT_KEY_CHARS) continue;
    const alias = names.find((name) => Object.hasOwn(args, name));
    if (alias !== undefined && alias.length <= MAX_INPUT_KEY_CHARS) used.push(`${alias}:${canonical}`);
  }
  return used.sort().slice(0, MAX_INPUT_KEYS);
}
