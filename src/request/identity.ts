import { MAX_DISTINCT_ID_CHARS } from '../pipeline/limits';
import { readProperty } from '../safe-object';
import type { Identity, JsonObject } from '../types';

/** Accepts an identity only when it has a non-empty string `distinctId` of at most 200 characters. */
export function normalizeIdentity(identity: unknown): Identity | undefined {
  const distinctId = readProperty(identity, 'distinctId');
  if (typeof distinctId !== 'string' || distinctId.trim() === '') return undefined;
  // PostHog refuses longer distinct ids; such an identity is treated as absent rather than losing the batch.
  if (distinctId.length > MAX_DISTINCT_ID_CHARS) return undefined;
  const properties = readProperty(identity, 'properties');
  const groups = readProperty(identity, 'groups');
  const normalized: Identity = { distinctId };
  if (typeof properties === 'object' && properties !== null) normalized.properties = properties as JsonObject;
  if (typeof groups === 'object' && groups !== null) {
    normalized.groups = groups as Record<string, string | number>;
  }
  return normalized;
}
