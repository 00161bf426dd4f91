import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  escapeLabelValue,
  formatValue,
  renderFamilies,
} from '../../electron/main/prometheus/exposition';
import { renderMetrics } from '../../electron/main/prometheus/render-metrics';
import { fullInput, T } from './fixtures';
import { findBinary, promtoolCheckMetrics, SKIP_PROMTOOL } from './real-prometheus';

function lines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('exposition format', () => {
  it('escapes label values and formats special floats the way Prometheus parses them', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(0.25)).toBe('0.25');
    expect(formatValue(1e21)).toBe('1e+21');
  });

  it('writes HELP and TYPE once per family and leaves out empty families', () => {
    const text = renderFamilies([
      {
        name: 'a_total',
        help: 'line one\nline two',
        type: 'counter',
        samples: [{ labels: {}, value: 3 }],
      },
      { name: 'b', help: 'empty', type: 'gauge', samples: [] },
    ]);
    expect(text).toBe('# HELP a_total line one\\nline two\n# TYPE a_total counter\na_total 3\n');
  });

  it('refuses invalid names, reserved labels and duplicate families', () => {
    const fam = (name: string, labels = {}) => ({
      name,
      help: 'h',
      type: 'gauge' as const,
      samples: [{ labels, value: 1 }],
    });
    expect(() => renderFamilies([fam('9bad')])).toThrow(/invalid Prometheus metric name "9bad"/);
    expect(() => renderFamilies([fam('ok', { __name__: 'x' })])).toThrow(
      /invalid Prometheus label/,
    );
    expect(() => renderFamilies([fam('ok'), fam('ok')])).toThrow(/rendered twice/);
  });
});

describe('renderMetrics', () => {
  const text = renderMetrics(fullInput);

  it('exports targets in base units with the conventional names', () => {
    expect(lines(text, 'opspulse_target_up')).toEqual([
      'opspulse_target_up{target="api"} 1',
      'opspulse_target_up{target="db"} 0',
    ]);
    expect(lines(text, 'opspulse_target_response_time_seconds')).toEqual([
      'opspulse_target_response_time_seconds{target="api"} 0.0123',
    ]);
    expect(lines(text, 'opspulse_target_time_to_first_byte_seconds')).toEqual([
      'opspulse_target_time_to_first_byte_seconds{target="api"} 0.005',
    ]);
    expect(lines(text, 'opspulse_target_http_status_code')).toEqual([
      'opspulse_target_http_status_code{target="api"} 200',
    ]);
    expect(lines(text, 'opspulse_target_cert_expiry_seconds')).toEqual([
      `opspulse_target_cert_expiry_seconds{target="api"} ${30.5 * 86400}`,
    ]);
    expect(lines(text, 'opspulse_metric')).toEqual([
      'opspulse_metric{target="api",name="confidence"} 0.8',
      'opspulse_metric{target="api",name="quality"} 0.9',
    ]);
    expect(lines(text, 'opspulse_last_sample_timestamp_seconds')).toEqual([
      `opspulse_last_sample_timestamp_seconds ${T / 1000}`,
    ]);
  });

  it('exports uptime per window, skipping windows without data', () => {
    expect(lines(text, 'opspulse_target_uptime_ratio')).toEqual([
      'opspulse_target_uptime_ratio{target="api",window="24h"} 0.999',
      'opspulse_target_uptime_ratio{target="db",window="24h"} 0.5',
      'opspulse_target_uptime_ratio{target="api",window="7d"} 1',
    ]);
  });

  it('exports health states as one-hot enums and names through an info series', () => {
    expect(lines(text, 'opspulse_target_state').filter((l) => l.endsWith(' 1'))).toEqual([
      'opspulse_target_state{target="api",state="ok"} 1',
      'opspulse_target_state{target="db",state="crit"} 1',
    ]);
    expect(lines(text, 'opspulse_target_state')).toHaveLength(10);
    expect(text).toContain('opspulse_health_state{state="crit"} 1\n');
    expect(text).toContain('opspulse_paused 0\n');
    expect(text).toContain(
      'opspulse_target_info{target="api",name="My \\"API\\"\\\\v2",kind="http"} 1\n',
    );
  });

  it('exports system metrics as ratios, and leaves out what the OS did not report', () => {
    expect(text).toContain('opspulse_system_cpu_ratio 0.125\n');
    expect(text).toContain('opspulse_system_memory_used_ratio 0.4\n');
    expect(text).toContain('opspulse_system_swap_used_ratio 0.03\n');
    expect(text).toContain('opspulse_system_load15 0.3\n');
    expect(text).toContain('opspulse_system_disk_used_ratio{mount="/home"} 0.7\n');
    expect(text).toContain('opspulse_system_network_receive_bytes_per_second 1000\n');
    expect(text).toContain('opspulse_system_cpu_temperature_celsius 48\n');
    expect(text).not.toContain('opspulse_system_network_transmit');
    expect(text).not.toContain('opspulse_system_battery');
  });

  it('never turns error texts into labels', () => {
    expect(text).not.toContain('ECONNREFUSED');
  });

  it('renders an empty but valid exposition before the first sample', () => {
    expect(renderMetrics({ sample: null })).toBe('');
  });
});

describe.skipIf(SKIP_PROMTOOL !== null)('promtool check metrics', () => {
  it('accepts the full exposition without lint findings', () => {
    const r = promtoolCheckMetrics(renderMetrics(fullInput));
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('accepts the example alerting rules', () => {
    const bin = findBinary('promtool')!;
    const r = spawnSync(
      bin,
      ['check', 'rules', path.resolve(__dirname, '../../resources/prometheus/opspulse.rules.yml')],
      {
        encoding: 'utf8',
        timeout: 15_000,
      },
    );
    expect(r.stdout + r.stderr).toMatch(/SUCCESS: 6 rules found/);
    expect(r.status).toBe(0);
  });

  it('accepts a minimal one', () => {
    const r = promtoolCheckMetrics(
      renderMetrics({ sample: { v: 1, t: T, tg: { only: { up: 0 } } } }),
    );
    expect(r.code).toBe(0);
  });
});

if (SKIP_PROMTOOL) console.warn(SKIP_PROMTOOL);
