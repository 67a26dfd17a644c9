import { readProperty } from '../safe-object';

/** Who erred: the caller (a wrong request), the tool (it threw or returned `isError`), or the server. */
export type ErrorOrigin = 'caller' | 'tool' | 'server';

/** The `$mcp_error_type` of a JSON-RPC error answer when no label is stated. */
export const JSON_RPC_ERROR_TYPE = 'JsonRpcError';

/**
 * JSON-RPC codes that blame the request: parse error, invalid request, method not found, invalid params, and
 * the MCP caller codes (header mismatch -32001, missing client capability -32003, unsupported protocol -32004).
 */
const CALLER_CODES: ReadonlySet<number> = new Set([-32700, -32600, -32601, -32602, -32001, -32003, -32004]);

/** Whose fault a JSON-RPC error code is, following OpenTelemetry's MCP conventions. */
export function originOfCode(code: number): ErrorOrigin {
  return CALLER_CODES.has(code) ? 'caller' : 'server';
}

/** A JSON-RPC error object (`{ code, message? }`) with an integer code, else `undefined`. */
export function readJsonRpcError(value: unknown): { code: number; message: string | undefined } | undefined {
  const code = readProperty(value, 'code');
  if (typeof code !== 'number' || !Number.isInteger(code)) return undefined;
  const message = readProperty(value, 'message');
  return { code, message: typeof message === 'string' && message !== '' ? message : undefined };
}
