/** Longest string value inside `$mcp_parameters` / `$mcp_response`. */
export const MAX_PAYLOAD_STRING_CHARS = 32_768;
/** Longest object key kept inside a payload. */
export const MAX_KEY_CHARS = 256;
/** Most entries kept per array or object. */
export const MAX_ENTRIES = 100;
/** Deepest nesting kept in a payload. */
export const MAX_DEPTH = 10;
/** Longest tool, resource, model, client and server field. */
export const MAX_NAME_CHARS = 256;
/** Longest description, category, intent and error message. */
export const MAX_TEXT_CHARS = 2_048;
/** The extra margin scanned past a limit so a match crossing it is seen whole. */
export const SCAN_MARGIN_CHARS = 1_024;
/** Largest serialized properties object of one event (compact UTF-8 JSON). */
export const MAX_EVENT_BYTES = 102_400;
/** A string at least this long, base64 at both ends, is treated as binary. */
export const MIN_BINARY_CHARS = 10_240;
/** Most entries in `$mcp_input_keys` and `$mcp_input_aliases_used`. */
export const MAX_INPUT_KEYS = 20;
/** Longest name recorded in `$mcp_input_keys`. */
export const MAX_INPUT_KEY_CHARS = 64;
/** Most entries in `$mcp_input_request_methods`. */
export const MAX_INPUT_REQUEST_METHODS = 100;

/** Replaces a redacted secret or personal datum. */
export const REDACTED = '[redacted]';
/** Replaces binary data. */
export const BINARY_PLACEHOLDER = '[binary data redacted - not supported by PostHog MCP analytics]';

/** Most values copied from one payload, so a wide or shared-reference graph stays cheap to walk. */
export const MAX_PAYLOAD_NODES = 2_000;
/** Characters one payload's walk scans at full limits (strings, keys and their margins), so its cost is bounded. */
export const MAX_PAYLOAD_SCAN_CHARS = 131_072;
/** Longest string or key kept, and scanned, once a payload has spent `MAX_PAYLOAD_SCAN_CHARS`. */
export const MAX_LATE_STRING_CHARS = 32;

/** Longest `distinct_id` PostHog accepts. */
export const MAX_DISTINCT_ID_CHARS = 200;
