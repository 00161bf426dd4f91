import type { MetricsInput } from '../../electron/main/prometheus/render-metrics';

export const T = Date.UTC(2026, 10, 25, 12, 0, 0);

/** One of everything renderMetrics can export, with awkward label values. */
export const fullInput: MetricsInput = {
  sample: {
    v: 1,
    t: T,
    sys: {
      cpu: 12.5,
      mem: 40,
      swap: 3,
      load1: 0.5,
      load5: 0.4,
      load15: 0.3,
      disk: { '/': 55.5, '/home': 70 },
      rx: 1000,
      tx: null,
      temp: 48,
    },
    tg: {
      api: { up: 1, ms: 12.3, fb: 5, st: 200, cd: 30.5, m: { confidence: 0.8, quality: 0.9 } },
      db: { up: 0, err: 'connect ECONNREFUSED "127.0.0.1"\nmore' },
    },
  },
  health: {
    t: T,
    overall: 'crit',
    summary: '1 down',
    paused: false,
    targets: [
      { id: 'api', name: 'API', state: 'ok', figure: '12 ms' },
      { id: 'db', name: 'DB', state: 'crit', figure: 'down' },
    ],
  },
  uptime: { '24h': { api: 0.999, db: 0.5 }, '7d': { api: 1, db: null } },
  targets: [
    { id: 'api', name: 'My "API"\\v2', kind: 'http' },
    { id: 'db', name: 'DB', kind: 'tcp' },
  ],
};
