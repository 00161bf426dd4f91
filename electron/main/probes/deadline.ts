/**
 * One abort signal for a probe: fires at the deadline or when the caller cancels, and
 * remembers which, so the result can say "timed out after 2000 ms" rather than "aborted".
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  private readonly onParentAbort = (): void => this.controller.abort(new Error('cancelled'));

  constructor(
    readonly ms: number,
    private readonly parent?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(this.message()));
    }, ms);
    if (parent?.aborted) this.onParentAbort();
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  /** The reason to report once the signal has fired. */
  message(): string {
    return this.timedOut || !this.parent?.aborted ? `timed out after ${this.ms} ms` : 'cancelled';
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}
