/** What an {@link EventQueue} runs and reports to. */
export interface EventQueueOptions<T> {
  /** Runs one item, to the end or to a promise of its end (which must not reject). */
  run(item: T): Promise<void> | undefined;
  /** Receives each batch's work, which settles when every item of the batch is done. */
  register(work: Promise<void>): void;
  /** Most items accepted and not yet done. */
  maxItems: number;
  /** Most bytes items may hold while they wait (see {@link EventQueue.hold}). */
  maxBytes: number;
}

/**
 * Runs each accepted item on a later turn of the event loop, every item on its own: a slow item delays
 * nothing else. Bounded in items and in the bytes that waiting items declare.
 */
export class EventQueue<T> {
  readonly #options: EventQueueOptions<T>;
  #pending: T[] = [];
  /** Settles once the scheduled batch has started. */
  #started: Promise<void> | undefined;
  readonly #running = new Set<Promise<void>>();
  #heldBytes = 0;

  constructor(options: EventQueueOptions<T>) {
    this.#options = options;
  }

  /** Accepts an item, or returns `false` (dropping it) when `maxItems` are already waiting or running. */
  accept(item: T): boolean {
    if (this.#pending.length + this.#running.size >= this.#options.maxItems) return false;
    this.#pending.push(item);
    if (!this.#started) this.#schedule();
    return true;
  }

  /** Resolves when every item accepted so far is done; items accepted later are not waited for. */
  async idle(): Promise<void> {
    if (this.#started) await this.#started;
    if (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** Reserves `bytes` for an item about to wait, or returns `false` when that would pass `maxBytes`. */
  hold(bytes: number): boolean {
    if (this.#heldBytes + bytes > this.#options.maxBytes) return false;
    this.#heldBytes += bytes;
    return true;
  }

  /** Returns bytes reserved by {@link EventQueue.hold}. */
  release(bytes: number): void {
    this.#heldBytes -= bytes;
  }

  /**
   * One `setImmediate` and two promises per batch: this runs on the request path of a batch's first item. Items
   * that finish synchronously cost no promise at all.
   */
  #schedule(): void {
    let markStarted!: () => void;
    let markDone!: () => void;
    this.#started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    setImmediate(() => {
      try {
        const work = this.#start();
        if (work) work.then(markDone, markDone);
        else markDone();
      } catch {
        markDone();
      } finally {
        markStarted();
      }
    });
    this.#options.register(done);
  }

  #start(): Promise<void> | undefined {
    const batch = this.#pending;
    this.#pending = [];
    this.#started = undefined;
    const work: Promise<void>[] = [];
    for (const item of batch) {
      const running = this.#options.run(item);
      if (running === undefined) continue;
      this.#running.add(running);
      work.push(running.then(() => void this.#running.delete(running)));
    }
    return work.length === 0 ? undefined : Promise.all(work).then(() => undefined);
  }
}
