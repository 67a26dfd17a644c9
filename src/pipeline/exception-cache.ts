import { createHash } from 'node:crypto';

/** Most distinct errors whose built `$exception_list` a client keeps. */
export const MAX_CACHED_EXCEPTIONS = 100;

/**
 * Most bytes a client's `$exception_list` cache holds: each entry's JSON counted at two bytes per UTF-16 unit,
 * plus its key and bookkeeping. Each entry's JSON is itself bounded (`MAX_EXCEPTION_LIST_BYTES`).
 */
export const MAX_CACHED_EXCEPTION_BYTES = 4 * 1_048_576;

/** The map entry's bookkeeping, counted against the byte bound with its key (two bytes a UTF-16 unit). */
const ENTRY_OVERHEAD_BYTES = 256;
/** Longest signature used as its own key; a longer one is keyed by its SHA-256 (which has no `:`, unlike a signature). */
const MAX_PLAIN_KEY_CHARS = 2_048;

const keyOf = (signature: string): string =>
  signature.length <= MAX_PLAIN_KEY_CHARS
    ? signature
    : createHash('sha256').update(signature).digest('base64');

interface Entry {
  readonly json: Promise<string>;
  bytes: number;
}

/**
 * Built `$exception_list`s as JSON, by the error's signature, or its SHA-256 when longer than 2,048 characters
 * (so neither a long message nor a long stack is kept as a key), least recently used out first: at most `MAX_CACHED_EXCEPTIONS` entries and
 * `MAX_CACHED_EXCEPTION_BYTES`. A recurring failure is parsed, read and redacted once.
 */
export class ExceptionListCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  /** Creates an empty cache with the given bounds. */
  constructor(maxEntries = MAX_CACHED_EXCEPTIONS, maxBytes = MAX_CACHED_EXCEPTION_BYTES) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** The number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The bytes counted against `MAX_CACHED_EXCEPTION_BYTES` now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The JSON cached for `signature`, or the one `build` makes, which is then cached unless it fails. */
  get(signature: string, build: () => Promise<string>): Promise<string> {
    const key = keyOf(signature);
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.json;
    }
    const entry: Entry = { json: build(), bytes: ENTRY_OVERHEAD_BYTES + key.length * 2 };
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    this.#evict();
    entry.json.then(
      (json) => {
        if (this.#entries.get(key) !== entry) return;
        entry.bytes += json.length * 2;
        this.#bytes += json.length * 2;
        this.#evict();
      },
      () => {
        if (this.#entries.get(key) === entry) this.#remove(key, entry);
      },
    );
    return entry.json;
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #evict(): void {
    while (
      this.#entries.size > 1 &&
      (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes)
    ) {
      const [key, entry] = this.#entries.entries().next().value as [string, Entry];
      this.#remove(key, entry);
    }
  }
}
