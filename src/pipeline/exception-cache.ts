import { createHash } from 'node:crypto';

/** Most distinct errors whose built `$exception_list` a client keeps. */
export const MAX_CACHED_EXCEPTIONS = 100;

/**
 * Most bytes a client's `$exception_list` cache holds: each entry's JSON counted at two bytes per UTF-16 unit,
 * plus its key and bookkeeping. Each entry's JSON is itself bounded (`MAX_EXCEPTION_LIST_BYTES`).
 */
export const MAX_CACHED_EXCEPTION_BYTES = 4 * 1_048_576;

/** The key (a 44-character SHA-256 in base64) and the map entry, counted against the byte bound. */
const ENTRY_OVERHEAD_BYTES = 256;

interface Entry {
  readonly json: Promise<string>;
  bytes: number;
}

/**
 * Built `$exception_list`s as JSON, by a SHA-256 of the error's signature (so neither a long message nor a
 * long stack is kept as a key), least recently used out first: at most `MAX_CACHED_EXCEPTIONS` entries and
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
    const key = createHash('sha256').update(signature).digest('base64');
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.json;
    }
    const entry: Entry = { json: build(), bytes: ENTRY_OVERHEAD_BYTES };
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
