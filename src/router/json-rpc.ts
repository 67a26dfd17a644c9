import { isPlainObject, readProperty } from '../safe-object';
import type { JsonObject } from '../types';

/** A JSON-RPC request id. */
export type RequestId = string | number;

/** A well-formed JSON-RPC request or notification, as the router middleware reads it. */
export interface RpcCall {
  message: JsonObject;
  method: string;
  params: JsonObject | undefined;
  /** Absent for a notification. */
  id: RequestId | undefined;
}

/** A value, or a promise of it, as a router may return. */
export type Awaitable<T> = T | PromiseLike<T>;

/**
 * Reads a JSON-RPC 2.0 request or notification; anything else (a response, a message without
 * `"jsonrpc": "2.0"`, a malformed one) is `undefined`, so it reaches the host untouched.
 */
export function readCall(message: unknown): RpcCall | undefined {
  if (!isPlainObject(message) || readProperty(message, 'jsonrpc') !== '2.0') return undefined;
  const method = readProperty(message, 'method');
  if (typeof method !== 'string' || method === '') return undefined;
  const params = readProperty(message, 'params');
  const id = readProperty(message, 'id');
  return {
    message,
    method,
    params: isPlainObject(params) ? params : undefined,
    id: typeof id === 'string' || typeof id === 'number' ? id : undefined,
  };
}

/** A JSON-RPC error response's error object, or `undefined` when the value is not one. */
export function readError(response: unknown): { code: unknown; message: unknown } | undefined {
  const error = readProperty(response, 'error');
  return isPlainObject(error) ? { code: error.code, message: error.message } : undefined;
}

/** Tells whether a response carries a `result` member. */
export function hasResult(response: unknown): response is { result: unknown } {
  return isPlainObject(response) && Object.hasOwn(response, 'result');
}

/** The same response with its `result` replaced; the input is not mutated. */
export function withResult(response: unknown, result: unknown): unknown {
  return { ...(response as JsonObject), result };
}

/** A success response for a request this package answers itself (a virtual tool). */
export function successResponse(id: RequestId, result: unknown): JsonObject {
  return { jsonrpc: '2.0', id, result };
}

/** A JSON-RPC error response turned into a throwable value for the failure properties and `$exception`. */
export class JsonRpcError extends Error {
  override readonly name = 'JsonRpcError';
  /** The JSON-RPC error code. */
  readonly code: number | undefined;

  /** Creates the error from the response's `error` member; the stack is the error's name alone, no host text. */
  constructor(error: { code: unknown; message: unknown }) {
    const message = typeof error.message === 'string' ? error.message : 'JSON-RPC error';
    super(message);
    this.code = typeof error.code === 'number' ? error.code : undefined;
    this.stack = this.name;
  }
}

/** A call the client cancelled with `notifications/cancelled`. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';

  /** Creates the error with the client's reason, when it gave one; the stack is the error's name alone, no client text. */
  constructor(reason: unknown) {
    const message = typeof reason === 'string' && reason !== '' ? reason : 'The client cancelled the request';
    super(message);
    this.stack = this.name;
  }
}

/** Tells whether a value is a promise-like (has a callable `then`); a `then` that cannot be read means no. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/** `Array.isArray` that answers `false` for a revoked proxy instead of throwing. */
export function isArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** Applies `next` now for a plain value, or after it resolves for a promise: sync stays sync. */
export function andThen<T, U>(value: Awaitable<T>, next: (value: T) => Awaitable<U>): Awaitable<U> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : next(value);
}

/**
 * Runs the host's handler and reports its outcome: `onValue` maps the response, `onError` records a thrown
 * or rejected error, which is then rethrown unchanged, synchronously when the handler threw synchronously.
 */
export function settle<T, U>(
  run: () => Awaitable<T>,
  onValue: (value: T) => U,
  onError: (error: unknown) => void,
): U | Promise<U> {
  let value: Awaitable<T>;
  try {
    value = run();
  } catch (error) {
    onError(error);
    throw error;
  }
  if (!isPromiseLike(value)) return onValue(value);
  return Promise.resolve(value).then(onValue, (error: unknown) => {
    onError(error);
    throw error;
  });
}
