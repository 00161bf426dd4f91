import { describe, expect, it } from 'vitest';
import { AI_OPS_PRESET, buildDemoConfig } from '../../electron/main/demo/demo-config';
import { SERVICE_IDS, type ServiceId } from '../../electron/main/demo/model';

const urls = Object.fromEntries(
  SERVICE_IDS.map((id, i) => [id, `http://127.0.0.1:${9100 + i}/p`]),
) as Record<ServiceId, string>;

describe('buildDemoConfig', () => {
  it('points every preset target at the simulator and enables the placeholders', () => {
    const cfg = buildDemoConfig(urls, { intervalSec: 2 });
    expect(cfg.interval).toBe(2);
    for (const t of cfg.targets) {
      expect(t.kind === 'http' && t.url).toBe(urls[t.id as ServiceId]);
      expect(t.enabled).toBe(true);
    }
    expect(cfg.rules.map((r) => r.id)).toContain('orchestrator-confidence');
  });

  it('leaves the shipped preset itself untouched', () => {
    buildDemoConfig(urls);
    const cloud = AI_OPS_PRESET.targets?.find((t) => t.id === 'llm-cloud');
    expect(cloud).toMatchObject({ enabled: false, url: 'https://llm-cloud.example.com/health' });
  });

  it('keeps targets that are not simulated as they are, and says what is wrong with a bad base', () => {
    const base = {
      targets: [{ id: 'own', name: 'Own', kind: 'tcp' as const, host: 'db', port: 5432 }],
    };
    expect(buildDemoConfig(urls, { base }).targets).toMatchObject([{ id: 'own', host: 'db' }]);
    expect(() =>
      buildDemoConfig(urls, { base: { targets: [{ ...base.targets[0], port: 0 }] } }),
    ).toThrow(/demo config is not valid: targets\[0\]\.port/);
  });
});
