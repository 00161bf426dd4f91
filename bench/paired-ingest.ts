import fs from 'node:fs/promises';
import path from 'node:path';
import type { Sample } from '../shared/sample';
import { SampleStore, type StoreOptions } from '../electron/main/store/sample-store';

export interface PairedIngest {
  /** µs per appended sample, one figure per run, of the baseline and of the candidate store. */
  base: number[];
  candidate: number[];
  /** candidate / base per pair. */
  ratios: number[];
  chunk: number;
}

/**
 * Append cost of two store configurations over the same samples: alternating short runs,
 * paired so a slow phase of a shared machine hits both, each pair's order alternated so
 * neither always meets the same phase.
 */
export async function pairedIngest(
  root: string,
  samples: Sample[],
  base: StoreOptions,
  candidate: StoreOptions,
  { warmups, pairs, chunk = 2880 }: { warmups: number; pairs: number; chunk?: number },
): Promise<PairedIngest> {
  const slices = Math.max(1, Math.floor(samples.length / chunk));
  const run = async (opts: StoreOptions, label: string, i: number): Promise<number> => {
    const dir = path.join(root, `ingest-${label}-${i}`);
    const store = await SampleStore.open(dir, opts);
    const part = samples.slice((i % slices) * chunk, (i % slices) * chunk + chunk);
    const t0 = process.hrtime.bigint();
    for (const s of part) store.append(s);
    const ns = Number(process.hrtime.bigint() - t0);
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
    return ns / 1000 / part.length;
  };
  for (let i = 0; i < warmups; i++) {
    await run(base, 'base', i);
    await run(candidate, 'candidate', i);
  }
  const out: PairedIngest = { base: [], candidate: [], ratios: [], chunk };
  for (let i = 0; i < pairs; i++) {
    let b: number;
    let c: number;
    if (i % 2 === 0) {
      b = await run(base, 'base', i);
      c = await run(candidate, 'candidate', i);
    } else {
      c = await run(candidate, 'candidate', i);
      b = await run(base, 'base', i);
    }
    out.base.push(b);
    out.candidate.push(c);
    out.ratios.push(c / b);
  }
  return out;
}
