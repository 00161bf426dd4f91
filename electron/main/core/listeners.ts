/** A minimal typed listener set: the Monitor's live streams (samples, health). */
export class Listeners<T> {
  private set = new Set<(value: T) => void>();

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
      } catch {
        // One broken subscriber (a closed SSE stream, a destroyed window) must not stop
        // the others or the collection loop.
      }
    }
  }
}
