import { h } from '../dom';
import type { View } from '../state';

/**
 * A view whose code loads on first use. The target editor carries the zod schema (most of
 * the bundle); the charts should not wait for it.
 */
export class LazyView implements View {
  readonly el = h('div', { class: 'lazy-view' });
  private inner: Promise<View> | null = null;

  constructor(private readonly load: () => Promise<View>) {}

  async refresh(): Promise<void> {
    if (!this.inner) {
      this.inner = this.load();
      this.el.append((await this.inner).el);
    }
    await (await this.inner).refresh();
  }

  hide(): void {
    void this.inner?.then((v) => v.hide());
  }
}
