import type { Sample } from '../../../shared/sample';
import { addSample, mergeLine, newLine, type RollupLine } from './rollup';
import { RunMemory } from './target-runs';

/**
 * Builds one rollup tier incrementally, holding a single open bucket: the one the latest
 * input falls in. Input in any other bucket closes it (time moved on, or went back), so a
 * clock change never mixes two periods into one line; a bucket revisited after a backwards
 * jump gets a second line, which readers merge.
 */
export class RollupBuilder {
  private current: RollupLine | null = null;
  private readonly memory = new RunMemory();

  constructor(
    readonly bucketMs: number,
    private readonly onClose: (line: RollupLine) => void,
  ) {}

  get open(): RollupLine | null {
    return this.current;
  }

  addSample(s: Sample): void {
    addSample(this.bucketFor(s.t), s, this.memory);
  }

  /** Merges a closed finer-tier line (a 1-minute line into the hour). */
  addLine(line: RollupLine): void {
    mergeLine(this.bucketFor(line.t), line);
  }

  /** Closes the open bucket if `t` lies outside it (a finer tier just opened a bucket at t). */
  advance(t: number): void {
    if (this.current && this.start(t) !== this.current.t) this.closeCurrent();
  }

  /** Writes the open bucket as it is (at shutdown); a later line for the same bucket merges with it. */
  flush(): void {
    this.closeCurrent();
  }

  private bucketFor(t: number): RollupLine {
    const start = this.start(t);
    if (this.current && this.current.t === start) return this.current;
    this.closeCurrent();
    this.current = newLine(start, this.bucketMs);
    return this.current;
  }

  private closeCurrent(): void {
    const c = this.current;
    this.current = null;
    if (c && c.n > 0) this.onClose(c);
  }

  private start(t: number): number {
    return Math.floor(t / this.bucketMs) * this.bucketMs;
  }
}
