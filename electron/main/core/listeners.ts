/** A minimal typed listener set: the Monitor's live streams (samples, health). */
export class Listeners<T> {
  private set = new Set<(value: T) => void>();

  /** Where a subscriber's exception is reported (default: stderr), rather than lost. */
  constructor(private readonly onError?: (err: unknown) => void) {}

  add(fn: (value: T) => void): () => void {
    this.set.add(fn);
    return () => {
      this.set.delete(fn);
    };
  }

  emit(value: T): void {
    for (const fn of this.set) {
      try {
        fn(value);
      } catch (err) {
        // One broken subscriber (a closed SSE stream, a destroyed window) must not stop
        // the others or the collection loop; but a bug there is reported, not hidden.
        if (this.onError) this.onError(err);
        else console.error('opspulse: a live-update subscriber failed:', err);
      }
    }
  }
}
