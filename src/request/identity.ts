import { sanitizeGroups } from '../pipeline/hook-result';
import { MAX_DISTINCT_ID_CHARS } from '../pipeline/limits';
import { redactSecrets } from '../pipeline/redact';
import { sanitizePayload } from '../pipeline/sanitize-payload';
import { isPlainObject, readProperty } from '../safe-object';
import { deriveSessionId } from '../session/derive-session-id';
import type { Identity } from '../types';

/** What a session id may look like to be used as given. */
const PLAIN_SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** C0 and C1 control characters, DEL, and (in `u` mode, where a pair is one code point) a lone surrogate. */
const UNFIT_IN_ID = /[\p{Cc}\p{Cs}]/u;

/** True for a plain id: 1 to 128 letters, digits, `_`, `.`, `:` or `-`, and not shaped like a credential. */
export function isPlainSessionId(value: unknown): value is string {
  return typeof value === 'string' && PLAIN_SESSION_ID.test(value) && redactSecrets(value) === value;
}

/**
 * The `$session_id` for a session id a client or host supplied (a token's `sid`, `captureX({ sessionId })`):
 * the id itself when it is plain, else derived, so no email, key, control character or lone surrogate goes
 * out as an identifier.
 */
export function sessionIdFrom(value: string): string {
  return isPlainSessionId(value) ? value : deriveSessionId(value);
}

/** True when text may be used as an identifier: no control characters and no lone surrogates. */
export function isFitForId(value: string): boolean {
  return !UNFIT_IN_ID.test(value);
}

/** Groups snapshotted as `sanitizeGroups` accepts them, less any key or value unfit for an identifier. */
function snapshotGroups(groups: unknown): Record<string, string | number> | undefined {
  return sanitizeGroups(groups, fitForGroup);
}

const fitForGroup = (key: string, value: string | number): boolean =>
  isFitForId(key) && (typeof value === 'number' || isFitForId(value));

/**
 * Accepts an identity only when it has a non-empty string `distinctId` of at most 200 characters with no
 * control characters or lone surrogates; its `properties` and `groups` are copied (bounded and sanitized)
 * now, so a host that reuses and changes one identity object cannot change an event already accepted.
 */
export function normalizeIdentity(identity: unknown): Identity | undefined {
  const distinctId = readProperty(identity, 'distinctId');
  if (typeof distinctId !== 'string' || distinctId.trim() === '') return undefined;
  // PostHog refuses longer distinct ids; such an identity is treated as absent rather than losing the batch.
  if (distinctId.length > MAX_DISTINCT_ID_CHARS || !isFitForId(distinctId)) return undefined;
  const properties = readProperty(identity, 'properties');
  const copied =
    typeof properties === 'object' && properties !== null ? sanitizePayload(properties) : undefined;
  const groups = snapshotGroups(readProperty(identity, 'groups'));
  const normalized: Identity = { distinctId };
  if (isPlainObject(copied)) normalized.properties = copied;
  if (groups) normalized.groups = groups;
  return normalized;
}
