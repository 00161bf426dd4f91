import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, ConfigSchema, formatIssues } from '../../shared/config-schema';

const FILE = path.resolve(__dirname, '../../resources/presets/ai-ops-stack.json');

describe('the ai-ops-stack preset', () => {
  const raw: unknown = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  const parsed = ConfigSchema.safeParse(raw);

  it('validates against the config schema, cross-field checks included', () => {
    expect(parsed.success ? [] : formatIssues(parsed.error)).toEqual([]);
    expect(checkConfig(parsed.data!)).toEqual([]);
  });

  it('reproduces the stack the product grew from', () => {
    const cfg = parsed.data!;
    const byId = new Map(cfg.targets.map((t) => [t.id, t]));
    expect([...byId.keys()]).toEqual([
      'scheduler',
      'task-queue',
      'llm-local',
      'llm-cloud',
      'llm-gateway',
      'orchestrator',
    ]);
    const scheduler = byId.get('scheduler');
    expect(scheduler).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:8091/health' });
    expect(scheduler?.kind === 'http' && scheduler.conditions).toEqual([
      { path: '$.status', op: '==', value: 'healthy' },
    ]);
    expect(byId.get('llm-local')).toMatchObject({
      url: 'http://127.0.0.1:8080/health',
      enabled: true,
    });
    // Placeholders to edit: present, but off until the user points them somewhere real.
    expect(byId.get('llm-cloud')?.enabled).toBe(false);
    expect(byId.get('llm-gateway')?.enabled).toBe(false);
    const orch = byId.get('orchestrator');
    expect(orch?.kind === 'http' && Object.keys(orch.metrics)).toEqual([
      'confidence',
      'quality',
      'second_pass_rate',
    ]);
  });

  it('ships rules only on series its targets produce', () => {
    const cfg = parsed.data!;
    const ids = new Set(cfg.targets.map((t) => t.id));
    for (const r of cfg.rules) {
      const m = /^tg\.([^.]+)\.(ms|up|m\.(\w+))$/.exec(r.series);
      expect(m, r.series).not.toBeNull();
      expect(ids.has(m![1]), r.series).toBe(true);
      if (m![3]) {
        const t = cfg.targets.find((x) => x.id === m![1]);
        expect(t?.kind === 'http' && Object.keys(t.metrics)).toContain(m![3]);
      }
    }
  });
});
