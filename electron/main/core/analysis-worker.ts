import { parentPort } from 'node:worker_threads';
import type { ReportFile } from '../../../shared/api';
import type { WindowAnalysis } from '../../../shared/analysis';
import { analyzeWindow, StoreReader } from '../analysis';
import { exportReport } from '../reports/export-report';
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol';
import { OverBudgetError, runBounded } from './bounded-work';
import { ValidationError } from './field-errors';

/**
 * The analysis worker's entry: long analyses and reports (reading a year of segments,
 * rendering an HTML report) run here, so the collector's thread keeps its ticks. It reads
 * the store's files read-only, as `opspulse report` does beside a running daemon.
 */
const port = parentPort;
if (!port) throw new Error('analysis-worker must run as a worker thread');

const post = (m: AnalysisReply): void => port.postMessage(m);
const running = new Map<number, AbortController>();

port.on('message', (req: AnalysisRequest) => {
  if (req.kind === 'cancel') {
    running.get(req.id)?.abort();
    return;
  }
  const abort = new AbortController();
  running.set(req.id, abort);
  const opts = { signal: abort.signal, budgetMs: req.budgetMs };
  const work = StoreReader.open(req.dataDir).then((reader) =>
    runBounded<StoreReader, WindowAnalysis | ReportFile>(
      reader,
      (src) =>
        req.job.kind === 'analyze'
          ? analyzeWindow(src, req.config, req.job.range, undefined, { now: req.now })
          : exportReport(src, req.config, req.job.req, req.now),
      opts,
    ),
  );
  work.then(
    (value) => post({ kind: 'done', id: req.id, value }),
    (err: unknown) =>
      post({
        kind: 'failed',
        id: req.id,
        error: {
          message: err instanceof Error ? err.message : String(err),
          ...(err instanceof ValidationError ? { fields: err.fields } : {}),
          ...(err instanceof OverBudgetError ? { overBudget: true } : {}),
        },
      }),
  );
  void work.finally(() => running.delete(req.id)).catch(() => undefined);
});

post({ kind: 'ready' });
