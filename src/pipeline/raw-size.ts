/** Characters of one string measured exactly; a longer string's size is extrapolated from them. */
export const MAX_MEASURED_STRING_CHARS = 65_536;

/** Strings up to this long are measured by a loop here: cheaper than a call into `Buffer.byteLength`. */
const LOOPED_STRING_CHARS = 32;

/** `Buffer.byteLength(text, 'utf8')`: a lone surrogate counts three bytes (U+FFFD), a pair four. */
function utf8Bytes(text: string): number {
  const length = text.length;
  if (length > LOOPED_STRING_CHARS) return Buffer.byteLength(text, 'utf8');
  let bytes = length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c <= 0xdbff && c >= 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** A string's estimated JSON bytes: its UTF-8 length and quotes, extrapolated past `MAX_MEASURED_STRING_CHARS`. */
export function rawStringBytes(value: string): number {
  if (value.length <= MAX_MEASURED_STRING_CHARS) return utf8Bytes(value) + 2;
  const sample = Buffer.byteLength(value.slice(0, MAX_MEASURED_STRING_CHARS), 'utf8');
  return Math.round((sample * value.length) / MAX_MEASURED_STRING_CHARS) + 2;
}

/** A scalar's estimated JSON bytes; `undefined` for objects and what JSON leaves out (functions, symbols). */
export function rawScalarBytes(value: unknown): number | undefined {
  if (typeof value === 'string') return rawStringBytes(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).length : 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (value === null) return 4;
  if (typeof value === 'bigint') return String(value).length;
  return undefined;
}

/** Whether an object's member with this value is written (and so counted): JSON leaves the others out. */
export const isCountedMember = (value: unknown): boolean =>
  value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';

/**
 * Estimated raw JSON sizes (by `estimateJsonBytes`'s rule) of chosen objects, taken by a payload walk that read
 * each of them whole on its way: so a call's token estimates need no second walk over its arguments and result.
 */
export class RawSizes {
  readonly #wanted: readonly unknown[];
  readonly #found = new Map<object, number>();
  /** Objects a wanted one was copied from: the walk treats them as already met, so meeting one is not read whole. */
  readonly originals: readonly unknown[];

  /**
   * `wanted`: the objects whose sizes are asked for (others met on the way are not recorded); `originals`: what
   * wanted copies were copied from, since a copy's size is its original's only if the original is not inside it.
   */
  constructor(wanted: readonly unknown[], originals: readonly unknown[] = []) {
    this.#wanted = wanted;
    this.originals = originals;
  }

  /** Records the size of an object the walk read whole, when it is one of the wanted ones. */
  record(value: object, bytes: number): void {
    if (this.#wanted.includes(value)) this.#found.set(value, bytes);
  }

  /** The recorded size of a wanted object, or `undefined` when no walk read it whole. */
  bytesOf(value: unknown): number | undefined {
    return typeof value === 'object' && value !== null ? this.#found.get(value) : undefined;
  }
}
