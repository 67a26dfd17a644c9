/** Latest timestamp kept: 9999-12-31T23:59:59.999Z, the last instant a four-digit ISO year can carry. */
export const MAX_TIMESTAMP_MS = 253_402_300_799_999;
/** Longest `$mcp_duration_ms` recorded (365 days); a longer duration is recorded as this. */
export const MAX_DURATION_MS = 31_536_000_000;

/** A `Date` or epoch milliseconds as a `Date` between 1970 and the year 9999, else `undefined`; never throws. */
export function validDate(value: unknown): Date | undefined {
  let ms: number;
  try {
    ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Number.NaN;
  } catch {
    return undefined;
  }
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIMESTAMP_MS ? new Date(ms) : undefined;
}

/** A duration in milliseconds clamped to 0 to {@link MAX_DURATION_MS}; `undefined` when it is not a finite number. */
export function clampDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Math.min(MAX_DURATION_MS, Math.max(0, value));
}
