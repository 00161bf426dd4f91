import { segmentFile, segmentKey, segmentRange, type TierName } from './layout';

/** The segment file for a time, remembering the last period so a tick costs no date formatting. */
export class SegmentFiles {
  private start = 0;
  private end = -1;
  private file = '';

  constructor(
    private readonly dataDir: string,
    private readonly tier: TierName,
  ) {}

  for(t: number): string {
    if (t < this.start || t >= this.end) {
      const key = segmentKey(this.tier, t);
      ({ start: this.start, end: this.end } = segmentRange(this.tier, key));
      this.file = segmentFile(this.dataDir, this.tier, key);
    }
    return this.file;
  }
}
