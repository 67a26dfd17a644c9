import { uuidv7 } from 'posthog-node';

/**
 * Generates a fresh, time-ordered `$session_id` of the form `ses_<UUIDv7>`.
 *
 * @example
 * newSessionId(); // 'ses_0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f'
 */
export function newSessionId(): string {
  return `ses_${uuidv7()}`;
}
