import { z } from 'zod';

/**
 * Anomaly scores, marks, rates and forecasts as the API, /metrics and the dashboard see
 * them (electron/main/anomaly, electron/main/forecast).
 */

/** A score at or above this is an anomaly: a mark on charts, a count in rates. */
export const ANOMALY_MARK = 0.9;

export interface AnomalyMark {
  /** Sample time (Unix ms). */
  t: number;
  series: string;
  /** 0..1, at least ANOMALY_MARK. */
  score: number;
  /** The value that was unusual. */
  value: number;
}

export interface AnomalyRate {
  series: string;
  /** Samples scored in the period, and how many of them were anomalies. */
  samples: number;
  anomalies: number;
  /** anomalies / samples, or null without samples. */
  rate: number | null;
  /** The same series' rate over the 30 days before the period: its own baseline. */
  baseline: number | null;
}

export interface AnomalyReport {
  from: number;
  to: number;
  /** Each scored series' latest score. */
  latest: { series: string; t: number; score: number }[];
  marks: AnomalyMark[];
  /** "Unusual this period": series by how far their anomaly rate is above their baseline. */
  rates: AnomalyRate[];
}

/** One forecast, already gated: `text` is what a person reads. */
export interface ForecastItem {
  /** sys.disk.<mount>, sys.mem, tg.<id>.cert, tg.<id>.ms */
  series: string;
  kind: 'time-to-full' | 'cert-expiry' | 'latency-creep';
  /** Days until full / expiry; absent when there is no forecast. */
  days?: number;
  /** Latency creep: change of the daily p95 in ms per day. */
  perDay?: number;
  /** false: not enough data, poor fit, or nothing to forecast (not filling, steady). */
  ok: boolean;
  /** "full in ~9 days at the last day's rate", "not enough data (…)". */
  text: string;
}

export interface ForecastReport {
  at: number;
  items: ForecastItem[];
}

/** The query of `anomalies` (API and IPC): a range, optionally one series. */
export const AnomalyQuery = z
  .strictObject({
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    series: z
      .string()
      .regex(/^(sys|tg)\.\S+$/, 'a series name such as tg.api.ms or sys.disk./')
      .optional(),
  })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });
