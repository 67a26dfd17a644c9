/** The byte length of a value's compact UTF-8 JSON (0 when JSON omits it, Infinity when it cannot serialize). */
export function jsonByteLength(value: unknown): number {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Whether a value's compact UTF-8 JSON fits `maxBytes`; one serialization, and no byte count when it clearly fits. */
export function fitsJsonBytes(value: unknown, maxBytes: number): boolean {
  try {
    const json = JSON.stringify(value);
    return json === undefined || json.length * 3 <= maxBytes || Buffer.byteLength(json, 'utf8') <= maxBytes;
  } catch {
    return false;
  }
}
