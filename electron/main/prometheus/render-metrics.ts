import { HEALTH_STATES, type HealthSnapshot } from '../../../shared/health';
import type { Sample, SystemSample } from '../../../shared/sample';
import { renderFamilies, type MetricFamily, type MetricSample } from './exposition';
import { sloFamilies } from './slo-metrics';

/** What the Monitor knows that /metrics shows. Every part may be missing early on. */
export interface MetricsInput {
  /** The latest sample; null before the first tick. */
  sample: Sample | null;
  health?: HealthSnapshot;
  /** Uptime as a ratio 0..1, by window label (e.g. "24h") and then target id. */
  uptime?: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
  /** Configured targets, for the info series (names and kinds as labels). */
  targets?: readonly { id: string; name: string; kind: string }[];
  /** Each scored series' latest anomaly score (electron/main/anomaly). */
  anomaly?: readonly { series: string; score: number }[];
}

/**
 * The Prometheus exposition of the latest state, in base units (seconds, ratios, bytes)
 * with the conventional suffixes. Labels are bounded by configuration (target ids, metric
 * names, mounts, states, windows), never by data such as error texts, so cardinality
 * stays what the user configured.
 */
export function renderMetrics(input: MetricsInput): string {
  const fams: MetricFamily[] = [];
  const add = (name: string, help: string, samples: MetricSample[]): void => {
    fams.push({ name: `opspulse_${name}`, help, type: 'gauge', samples });
  };
  const tg = input.sample ? Object.entries(input.sample.tg) : [];
  const perTarget = (pick: (s: (typeof tg)[number][1]) => number | undefined): MetricSample[] =>
    tg.flatMap(([id, s]) => {
      const v = pick(s);
      return v === undefined ? [] : [{ labels: { target: id }, value: v }];
    });

  add(
    'last_sample_timestamp_seconds',
    'Unix time of the latest collection tick.',
    input.sample ? [{ labels: {}, value: input.sample.t / 1000 }] : [],
  );
  add(
    'target_up',
    'Whether the latest probe of the target succeeded (1) or not (0).',
    perTarget((s) => s.up),
  );
  add(
    'target_response_time_seconds',
    'Latency of the latest probe, request start to body end or connect.',
    perTarget((s) => (s.ms === undefined ? undefined : s.ms / 1000)),
  );
  add(
    'target_time_to_first_byte_seconds',
    'Time to the first response byte of the latest HTTP probe.',
    perTarget((s) => (s.fb === undefined ? undefined : s.fb / 1000)),
  );
  add(
    'target_http_status_code',
    'HTTP status code of the latest probe.',
    perTarget((s) => s.st),
  );
  add(
    'target_cert_expiry_seconds',
    'Time left until the TLS certificate of the target expires.',
    perTarget((s) => (s.cd === undefined ? undefined : Math.round(s.cd * 86400))),
  );
  add(
    'metric',
    'A numeric value the target reported (JSON field, file field or PromQL result).',
    tg.flatMap(([id, s]) =>
      Object.entries(s.m ?? {}).map(([name, value]) => ({ labels: { target: id, name }, value })),
    ),
  );
  add('target_uptime_ratio', 'Time-weighted share of the window the target was up.', uptime(input));
  add(
    'target_state',
    'Health state of the target: 1 for the current state, 0 otherwise.',
    (input.health?.targets ?? []).flatMap((t) =>
      HEALTH_STATES.map((state) => ({
        labels: { target: t.id, state },
        value: t.state === state ? 1 : 0,
      })),
    ),
  );
  add(
    'target_info',
    'Configured targets; always 1, the labels carry the name and kind.',
    (input.targets ?? []).map((t) => ({
      labels: { target: t.id, name: t.name, kind: t.kind },
      value: 1,
    })),
  );
  const h = input.health;
  add(
    'health_state',
    'Overall health: 1 for the current state, 0 otherwise.',
    h
      ? HEALTH_STATES.map((state) => ({ labels: { state }, value: h.overall === state ? 1 : 0 }))
      : [],
  );
  add(
    'paused',
    'Whether collection is paused (1) or running (0).',
    h ? [{ labels: {}, value: h.paused ? 1 : 0 }] : [],
  );
  for (const f of systemFamilies(input.sample?.sys)) fams.push(f);
  add(
    'anomaly_score',
    'Latest anomaly score of the series, 0..1 (0.9 and up: an anomaly), by OpsPulse series name.',
    (input.anomaly ?? []).map((a) => ({ labels: { series: a.series }, value: a.score })),
  );
  fams.push(...sloFamilies(input.health?.slos ?? []));
  return renderFamilies(fams);
}

function uptime(input: MetricsInput): MetricSample[] {
  const out: MetricSample[] = [];
  for (const [window, byTarget] of Object.entries(input.uptime ?? {}))
    for (const [target, ratio] of Object.entries(byTarget))
      if (ratio !== null) out.push({ labels: { target, window }, value: ratio });
  return out;
}

function systemFamilies(sys: SystemSample | undefined): MetricFamily[] {
  const one = (v: number | null | undefined, scale = 1): MetricSample[] =>
    typeof v === 'number' ? [{ labels: {}, value: v * scale }] : [];
  const s = sys ?? {};
  const fam = (name: string, help: string, samples: MetricSample[]): MetricFamily => ({
    name: `opspulse_system_${name}`,
    help,
    type: 'gauge',
    samples,
  });
  return [
    fam('cpu_ratio', 'CPU load across all cores, 0..1.', one(s.cpu, 0.01)),
    fam('memory_used_ratio', 'Share of memory in use, 0..1.', one(s.mem, 0.01)),
    fam('swap_used_ratio', 'Share of swap in use, 0..1.', one(s.swap, 0.01)),
    fam('load1', 'Load average over 1 minute.', one(s.load1)),
    fam('load5', 'Load average over 5 minutes.', one(s.load5)),
    fam('load15', 'Load average over 15 minutes.', one(s.load15)),
    fam(
      'disk_used_ratio',
      'Share of the file system in use, by mount point, 0..1.',
      Object.entries(s.disk ?? {}).map(([mount, pct]) => ({ labels: { mount }, value: pct / 100 })),
    ),
    fam('network_receive_bytes_per_second', 'Network receive rate over the last tick.', one(s.rx)),
    fam(
      'network_transmit_bytes_per_second',
      'Network transmit rate over the last tick.',
      one(s.tx),
    ),
    fam('cpu_temperature_celsius', 'CPU temperature.', one(s.temp)),
    fam('battery_ratio', 'Battery charge, 0..1.', one(s.battery, 0.01)),
  ];
}
