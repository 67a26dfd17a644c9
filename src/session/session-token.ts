import { isUtf8 } from 'node:buffer';

/**
 * The HTTP header that carries a legacy MCP session id, and so a PostHog session token; HTTP header
 * names are case-insensitive, and this is the lowercase spelling Node uses for incoming headers.
 */
export const MCP_SESSION_HEADER = 'mcp-session-id';

/** The longest session token, in characters. */
export const MAX_SESSION_TOKEN_CHARS = 4096;
/** The longest `sid` a token may carry, in characters. */
export const MAX_TOKEN_SESSION_ID_CHARS = 128;
/** The longest `cn`, `cv` or `pv` a token keeps, in characters. */
export const MAX_TOKEN_FIELD_CHARS = 256;

const OPTIONAL_FIELDS = ['cn', 'cv', 'pv'] as const;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+(={0,2})$/;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
/**
 * The base64url characters a token's first byte can give: `{` (`e`), or JSON whitespace before it: tab or
 * newline (`C`), carriage return (`D`), space (`I`). Anything else (most plain ids) is not decoded at all.
 */
const TOKEN_FIRST_CHARS = 'eCDI';
/** Only text whose first non-whitespace character is `{` can parse as a JSON object. */
const JSON_OBJECT_START = /^[\t\n\r ]*\{/;

/** What a session token carries: the session id and, when known, the client seen at `initialize`. */
export interface SessionTokenPayload {
  /** The `$session_id`, 1 to 128 characters. */
  sid: string;
  /** The client name. */
  cn?: string;
  /** The client version. */
  cv?: string;
  /** The MCP protocol revision. */
  pv?: string;
}

function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_TOKEN_SESSION_ID_CHARS;
}

/** Cuts to the field limit without leaving half of a surrogate pair at the end. */
function cutField(value: string): string {
  if (value.length <= MAX_TOKEN_FIELD_CHARS) return value;
  const last = value.charCodeAt(MAX_TOKEN_FIELD_CHARS - 1);
  const isHighSurrogate = last >= 0xd800 && last <= 0xdbff;
  return value.slice(0, isHighSurrogate ? MAX_TOKEN_FIELD_CHARS - 1 : MAX_TOKEN_FIELD_CHARS);
}

/** Copies `sid` and the string optional fields, in wire order, from any record. */
function pickPayload(source: Record<string, unknown>, sid: string): SessionTokenPayload {
  const payload: SessionTokenPayload = { sid };
  for (const field of OPTIONAL_FIELDS) {
    const value = Object.hasOwn(source, field) ? source[field] : undefined;
    if (typeof value === 'string') payload[field] = cutField(value);
  }
  return payload;
}

/**
 * Encodes a session token (unpadded base64url of compact JSON), or returns `null` when `sid` is not 1 to
 * 128 characters or the token would exceed 4,096 characters; never throws.
 *
 * @example
 * encodeSessionToken({ sid: 'ses_abc', cn: 'claude-code' }); // 'eyJzaWQiOiJzZXNfYWJjIiwiY24iOiJjbGF1ZGUtY29kZSJ9'
 */
export function encodeSessionToken(payload: SessionTokenPayload): string | null {
  try {
    const sid: unknown = payload?.sid;
    if (!isSessionId(sid)) return null;
    const json = JSON.stringify(pickPayload(payload as unknown as Record<string, unknown>, sid));
    const token = Buffer.from(json, 'utf8').toString('base64url');
    return token.length <= MAX_SESSION_TOKEN_CHARS ? token : null;
  } catch {
    return null;
  }
}

/** Decodes base64url text (optionally padded) to UTF-8 text, or `null` when it is not exactly that. */
function decodeBase64UrlText(value: string): string | null {
  const match = BASE64URL_PATTERN.exec(value);
  if (match === null) return null;
  const padding = match[1] ?? '';
  const body = value.slice(0, value.length - padding.length);
  if (body.length % 4 === 1) return null;
  if (padding.length > 0 && value.length % 4 !== 0) return null;
  const bytes = Buffer.from(body, 'base64url');
  // Checked first so a plain session id costs no thrown decoding error.
  return isUtf8(bytes) ? utf8Decoder.decode(bytes) : null;
}

/**
 * Decodes a replayed session token, returning `null` for anything that is not one (a plain session id,
 * a JWT, oversized or forged input); never throws.
 *
 * @example
 * decodeSessionToken('eyJzaWQiOiJzZXNfYWJjIn0'); // { sid: 'ses_abc' }
 */
export function decodeSessionToken(value: unknown): SessionTokenPayload | null {
  if (typeof value !== 'string' || value.length > MAX_SESSION_TOKEN_CHARS) return null;
  if (!TOKEN_FIRST_CHARS.includes(value.charAt(0)) || value.length < 2) return null;
  try {
    const text = decodeBase64UrlText(value);
    if (text === null || !JSON_OBJECT_START.test(text)) return null;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const record = parsed as Record<string, unknown>;
    const sid = Object.hasOwn(record, 'sid') ? record.sid : undefined;
    return isSessionId(sid) ? pickPayload(record, sid) : null;
  } catch {
    return null;
  }
}
