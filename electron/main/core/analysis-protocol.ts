import type { ReportFile, ReportRequest } from '../../../shared/api';
import type { WindowAnalysis } from '../../../shared/analysis';
import type { Config } from '../../../shared/config-schema';
import type { FieldError } from '../../../shared/api';

/** Messages between the core and its analysis worker (analysis-worker.ts). */

export type AnalysisJob =
  { kind: 'analyze'; range: { from: number; to: number } } | { kind: 'report'; req: ReportRequest };

export type AnalysisRequest =
  | {
      kind: 'run';
      id: number;
      dataDir: string;
      config: Config;
      now: number;
      budgetMs: number;
      job: AnalysisJob;
    }
  | { kind: 'cancel'; id: number };

export type AnalysisReply =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; value: WindowAnalysis | ReportFile }
  | {
      kind: 'failed';
      id: number;
      error: { message: string; fields?: FieldError[]; overBudget?: boolean };
    };
