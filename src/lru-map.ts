/**
 * A map bounded to `maxSize` entries that evicts the least recently used entry when full.
 *
 * Recency is the insertion order of the underlying `Map`: reading with `get` or writing with `set`
 * moves the entry to the newest end; `peek` and `has` leave the order alone.
 *
 * @example
 * const seen = new LruMap<string, number>(2);
 * seen.set('a', 1);
 * seen.set('b', 2);
 * seen.get('a');
 * seen.set('c', 3); // evicts 'b', the least recently used
 */
export class LruMap<K, V> {
  readonly #maxSize: number;
  readonly #entries = new Map<K, V>();

  /** Creates an empty map holding at most `maxSize` entries (a non-finite or smaller-than-1 size means 1). */
  constructor(maxSize: number) {
    this.#maxSize = Number.isFinite(maxSize) && maxSize >= 1 ? Math.floor(maxSize) : 1;
  }

  /** The most entries this map keeps. */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** The number of entries currently held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Returns the value for `key` and marks it as the most recently used. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Returns the value for `key` without changing its recency. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Stores `value` under `key` as the most recently used entry, evicting the oldest beyond `maxSize`. */
  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#maxSize) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    return this;
  }

  /** Tells whether `key` is held, without changing its recency. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Removes `key` and tells whether it was held. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }
}
