/**
 * A plot box's width as its resize observer last reported it, so building and querying
 * force no layout. Resizes reach `onResize` at most once per frame.
 */
export class PlotWidth {
  private observed = 0;
  private pending = false;
  private readonly observer: ResizeObserver;

  constructor(
    private readonly box: HTMLElement,
    private readonly fallback: HTMLElement,
    onResize: (width: number) => void,
  ) {
    this.observer = new ResizeObserver((entries) => {
      for (const e of entries) this.observed = Math.floor(e.contentRect.width);
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        onResize(this.px);
      });
    });
    this.observer.observe(box);
  }

  /** Until the first report, a layout read; never under 200 px. */
  get px(): number {
    const w = this.observed || this.box.clientWidth || this.fallback.clientWidth || 600;
    return Math.max(200, Math.floor(w));
  }

  disconnect(): void {
    this.observer.disconnect();
  }
}
