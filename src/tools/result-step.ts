import { isPlainObject, readProperty } from '../safe-object';
import { handleResultBlock } from '../session/conversation-handle';

/** Appends a minted handle as a last text block when the result can carry content. */
export function deliverHandle(
  result: unknown,
  handle: string | undefined,
): { result: unknown; delivered: boolean } {
  if (handle === undefined || !isPlainObject(result)) return { result, delivered: false };
  const content = readProperty(result, 'content');
  if (!Array.isArray(content)) return { result, delivered: false };
  return { result: { ...result, content: [...content, handleResultBlock(handle)] }, delivered: true };
}

/** A call's duration: from an explicit end time, else from the monotonic start; never negative. */
export function measureDuration(startedAt: Date, startedMono: number, endedAt: unknown): number {
  if (endedAt instanceof Date || typeof endedAt === 'number') {
    const end = endedAt instanceof Date ? endedAt.getTime() : endedAt;
    const ms = end - startedAt.getTime();
    return Number.isFinite(ms) && ms > 0 ? ms : 0;
  }
  const ms = performance.now() - startedMono;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms * 1000) / 1000 : 0;
}
