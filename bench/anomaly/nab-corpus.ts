/**
 * Reading a corpus in NAB's layout (`data/<category>/<file>.csv`,
 * `labels/combined_windows.json`) and detector results in NAB's results layout
 * (`<dir>/<category>/<detector>_<file>.csv`, optionally gzipped).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseNabTime, type NabFile } from './nab-score';

export interface NabSeries {
  /** `<category>/<file>.csv` */
  readonly key: string;
  readonly category: string;
  readonly file: string;
  readonly timestamps: number[];
  /** The timestamps as written, for result files NAB's scorer can match. */
  readonly stamps: string[];
  readonly values: number[];
  readonly windows: [number, number][];
}

function readText(path: string): string {
  const buf = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
}

/** Rows of a CSV with a header; `columns` names the ones wanted, in order. */
function readCsv(path: string, columns: readonly string[]): string[][] {
  const lines = readText(path).split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim());
  const idx = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`${path}: no "${c}" column in header ${lines[0]}`);
    return i;
  });
  const rows: string[][] = [];
  for (let n = 1; n < lines.length; n++) {
    if (lines[n].trim() === '') continue;
    const cells = lines[n].split(',');
    rows.push(idx.map((i) => cells[i] ?? ''));
  }
  return rows;
}

function toNumber(text: string, where: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) {
    throw new Error(`${where}: not a number: ${JSON.stringify(text)}`);
  }
  return v;
}

/** Every labelled series of a NAB corpus directory, sorted by key. */
export function readNabCorpus(dir: string): NabSeries[] {
  const labelsPath = join(dir, 'labels', 'combined_windows.json');
  if (!existsSync(labelsPath)) {
    throw new Error(`${dir}: not a NAB corpus (no labels/combined_windows.json)`);
  }
  const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as Record<string, [string, string][]>;
  return Object.keys(labels)
    .sort()
    .map((key) => {
      const [category, file] = key.split('/');
      const path = join(dir, 'data', category, file);
      const rows = readCsv(path, ['timestamp', 'value']);
      return {
        key,
        category,
        file,
        stamps: rows.map((r) => r[0]),
        timestamps: rows.map((r, i) => parseNabTime(r[0] === '' ? `row ${i + 2}` : r[0])),
        values: rows.map((r, i) => toNumber(r[1], `${path} row ${i + 2}`)),
        windows: (labels[key] ?? []).map(
          ([a, b]) => [parseNabTime(a), parseNabTime(b)] as [number, number],
        ),
      };
    });
}

/** The result file of `detector` for one series, if present (plain or gzipped). */
export function resultPath(resultsDir: string, detector: string, s: NabSeries): string | null {
  const base = join(resultsDir, s.category, `${detector}_${s.file}`);
  for (const p of [base, `${base}.gz`]) if (existsSync(p)) return p;
  return null;
}

/** A detector's results for a corpus, paired with its labels, ready for scoreNab. */
export function readNabResults(
  resultsDir: string,
  detector: string,
  corpus: readonly NabSeries[],
): NabFile[] {
  return corpus.map((s) => {
    const path = resultPath(resultsDir, detector, s);
    if (!path) throw new Error(`${resultsDir}: no result for ${s.key} (${detector}_${s.file})`);
    const rows = readCsv(path, ['timestamp', 'anomaly_score']);
    if (rows.length !== s.timestamps.length) {
      throw new Error(`${path}: ${rows.length} rows, the data file has ${s.timestamps.length}`);
    }
    return {
      key: s.key,
      timestamps: rows.map((r) => parseNabTime(r[0])),
      scores: rows.map((r, i) => toNumber(r[1], `${path} row ${i + 2}`)),
      windows: s.windows,
    };
  });
}

/** Detector names present in a results directory (from `<detector>_<file>` names). */
export function detectorsIn(resultsDir: string): string[] {
  return readdirSync(resultsDir).filter((d) => !d.includes('.'));
}
