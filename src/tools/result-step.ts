import { isPlainObject, readProperty } from '../safe-object';
import { handleResultBlock } from '../session/conversation-handle';
import { clampDurationMs, validDate } from '../valid-time';
import { amendObject } from './amend-object';

/** Appends a minted handle as a last text block when the result can carry content; nothing else changes. */
export function deliverHandle(
  result: unknown,
  handle: string | undefined,
): { result: unknown; delivered: boolean } {
  if (handle === undefined || !isPlainObject(result)) return { result, delivered: false };
  const block = handleResultBlock(handle);
  // A plain object is copied; anything else (class getters, proxies, toJSON) is a view reading through to it.
  const amended = amendObject(result, (source) => {
    const content = readProperty(source, 'content');
    return Array.isArray(content) ? { content: [...content, block] } : undefined;
  });
  return amended === undefined ? { result, delivered: false } : { result: amended, delivered: true };
}

/** A call's duration: from an explicit end time, else from the monotonic start; never negative. */
export function measureDuration(startedAt: Date, startedMono: number, endedAt: unknown): number {
  const end = validDate(endedAt);
  if (end !== undefined) return clampDurationMs(end.getTime() - startedAt.getTime()) ?? 0;
  const ms = clampDurationMs(performance.now() - startedMono) ?? 0;
  return Math.round(ms * 1000) / 1000;
}
