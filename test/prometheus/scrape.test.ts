import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrometheusTarget } from '../../shared/config-schema';
import { PrometheusTarget as PrometheusTargetSchema } from '../../shared/config-schema';
import { probePrometheus } from '../../electron/main/probes/prometheus';
import { EXPOSITION_CONTENT_TYPE } from '../../electron/main/prometheus/exposition';
import { queryInstant } from '../../electron/main/prometheus/promql-client';
import { renderMetrics } from '../../electron/main/prometheus/render-metrics';
import { fullInput } from './fixtures';
import {
  SKIP_PROMETHEUS,
  startPrometheus,
  waitFor,
  type RunningPrometheus,
} from './real-prometheus';

if (SKIP_PROMETHEUS) console.warn(SKIP_PROMETHEUS);

/** The example alerting rules the README points to. */
const RULES = path.resolve(__dirname, '../../resources/prometheus/opspulse.rules.yml');

/**
 * The export verified by the real thing: Prometheus scrapes a server that serves
 * renderMetrics output, and what it stored must equal what OpsPulse rendered. The same
 * Prometheus then serves as the source for the prometheus target kind.
 */
describe.skipIf(SKIP_PROMETHEUS !== null)('a real Prometheus', () => {
  let server: http.Server;
  let prom: RunningPrometheus;
  const text = renderMetrics(fullInput);

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE }).end(text);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    prom = await startPrometheus({ targets: [`127.0.0.1:${port}`], ruleFiles: [RULES] });
    await prom.waitForTargetsUp();
  }, 60_000);

  afterAll(async () => {
    await prom?.close();
    await new Promise((r) => server?.close(r));
  });

  const query = async (q: string) =>
    (await queryInstant({ url: prom.url, query: q, timeoutMs: 10_000 })).value;

  it('stores every exported value as OpsPulse rendered it', async () => {
    // Every sample line of the exposition must come back from Prometheus unchanged.
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(30);
    for (const line of samples) {
      const sp = line.lastIndexOf(' ');
      const selector = line.slice(0, sp);
      expect(await query(selector), selector).toBe(Number(line.slice(sp + 1)));
    }
  });

  it('answers the questions a user would ask of the fleet', async () => {
    expect(await query('sum(opspulse_target_up)')).toBe(1);
    expect(await query('opspulse_target_response_time_seconds{target="api"} * 1000')).toBeCloseTo(
      12.3,
      9,
    );
    expect(await query('opspulse_metric{target="api",name="confidence"}')).toBe(0.8);
    expect(await query('opspulse_target_uptime_ratio{target="db",window="24h"}')).toBe(0.5);
    expect(await query('opspulse_system_cpu_ratio')).toBe(0.125);
  });

  it('evaluates the example alerting rules against the export', async () => {
    type Alert = { labels: Record<string, string>; state: string };
    const active = async (): Promise<Alert[]> => {
      const r = await fetch(`${prom.url}/api/v1/alerts`);
      return ((await r.json()) as { data: { alerts: Alert[] } }).data.alerts;
    };
    const key = (a: Alert) => `${a.labels.alertname}/${a.labels.target ?? ''}/${a.state}`;
    await waitFor(
      async () => (await active()).some((a) => a.labels.alertname === 'OpsPulseLowUptime'),
      30_000,
    );
    const keys = (await active()).map(key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'OpsPulseTargetDown/db/pending',
        'OpsPulseTargetCritical/db/pending',
        'OpsPulseLowUptime/db/firing',
      ]),
    );
    // api is up, ok, 99.9 % and its certificate has a month left.
    expect(keys.filter((k) => k.includes('/api/'))).toEqual([]);
    expect(keys.some((k) => k.startsWith('OpsPulseInstanceGone'))).toBe(false);
  });

  const target = (over: Partial<PrometheusTarget>): PrometheusTarget =>
    PrometheusTargetSchema.parse({
      id: 'fleet',
      name: 'Fleet',
      kind: 'prometheus',
      url: prom.url,
      query: 'sum(opspulse_target_up)',
      ...over,
    });

  it('is a source: the prometheus target records the query value as a metric', async () => {
    const r = await probePrometheus(target({ metric: 'up_targets' }), { intervalSec: 30 });
    expect(r.error).toBeUndefined();
    expect(r.up).toBe(true);
    expect(r.metrics).toEqual({ up_targets: 1 });
    expect(r.ms).toBeGreaterThan(0);
  });

  it('records a scalar query under the default metric name', async () => {
    const r = await probePrometheus(target({ query: 'scalar(opspulse_metric{name="quality"})' }), {
      intervalSec: 30,
    });
    expect(r).toMatchObject({ up: true, metrics: { value: 0.9 } });
  });

  it('is down, with a reason, when the query gives several series or none', async () => {
    const many = await probePrometheus(target({ query: 'opspulse_target_up' }), {
      intervalSec: 30,
    });
    expect(many.up).toBe(false);
    expect(many.error).toMatch(/returned 2 series; reduce it to one/);
    const none = await probePrometheus(target({ query: 'opspulse_target_up{target="nope"}' }), {
      intervalSec: 30,
    });
    expect(none).toMatchObject({ up: false, error: 'query returned no series' });
  });

  it('is down with the server message when the query is not PromQL', async () => {
    const r = await probePrometheus(target({ query: 'sum(' }), { intervalSec: 30 });
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/^query failed \(bad_data: .*parse error/);
  });

  it('is down when the value is not a finite number', async () => {
    const r = await probePrometheus(target({ query: 'vector(1) / 0' }), { intervalSec: 30 });
    expect(r).toMatchObject({ up: false, error: 'query returned Infinity' });
  });
});
