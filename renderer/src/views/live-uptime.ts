import type { WindowAnalysis } from '../../../shared/analysis';
import type { Sample } from '../../../shared/sample';

interface Tally {
  upMs: number;
  downMs: number;
  lastT: number | null;
}

/**
 * Uptime for the shown window that follows live samples: the analysis's up and down time,
 * plus each new sample's stretch since the previous one (a gap counts as neither), so a
 * target that just failed shows its falling uptime at once.
 */
export class LiveUptime {
  private tallies = new Map<string, Tally>();
  private gapMs = Infinity;

  reset(a: WindowAnalysis | null): void {
    this.tallies.clear();
    if (!a) return;
    this.gapMs = a.gapThresholdMs;
    for (const t of a.targets)
      this.tallies.set(t.id, { upMs: t.upMs, downMs: t.downMs, lastT: t.lastT });
  }

  add(s: Sample, intervalMs: number): void {
    for (const [id, tg] of Object.entries(s.tg)) {
      let tally = this.tallies.get(id);
      if (!tally) this.tallies.set(id, (tally = { upMs: 0, downMs: 0, lastT: null }));
      if (tally.lastT !== null && s.t <= tally.lastT) continue;
      const since = tally.lastT === null ? intervalMs : s.t - tally.lastT;
      const dt = since > Math.min(this.gapMs, intervalMs * 2.5) ? intervalMs : since;
      if (tg.up === 1) tally.upMs += dt;
      else tally.downMs += dt;
      tally.lastT = s.t;
    }
  }

  /** 0..100, or null with no data for the target in the window. */
  pct(id: string): number | null {
    const t = this.tallies.get(id);
    if (!t || t.upMs + t.downMs === 0) return null;
    return (100 * t.upMs) / (t.upMs + t.downMs);
  }
}
