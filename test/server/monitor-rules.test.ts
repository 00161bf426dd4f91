import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Monitor } from '../../electron/main/core/monitor';
import type { Config } from '../../shared/config-schema';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

let dir: string;
let monitor: Monitor;
beforeEach(async () => {
  dir = await makeTmpDir('opspulse-rules-');
  monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
});
afterEach(async () => {
  await monitor.close();
  await removeDir(dir);
});

async function onDisk(): Promise<Config> {
  return JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8')) as Config;
}

const rule = { id: 'hot-cpu', series: 'sys.cpu', op: '>' as const, warn: 80, crit: 95 };

describe('Monitor rule changes (the core behind PUT/DELETE /api/rules and IPC)', () => {
  it('adds, replaces, disables and deletes a rule, writing config.json each time', async () => {
    await monitor.saveRule(rule);
    expect((await onDisk()).rules).toEqual([expect.objectContaining({ ...rule, enabled: true })]);
    await monitor.saveRule({ ...rule, name: 'CPU hot', forSamples: 3 });
    expect((await onDisk()).rules).toEqual([
      expect.objectContaining({ id: 'hot-cpu', name: 'CPU hot', forSamples: 3 }),
    ]);
    await monitor.saveRule({ id: 'down', series: 'tg.*.up', op: '==', crit: 0 });
    const off = await monitor.setRuleEnabled('hot-cpu', false);
    expect(off.rules.map((r) => [r.id, r.enabled])).toEqual([
      ['hot-cpu', false],
      ['down', true],
    ]);
    await monitor.deleteRule('hot-cpu');
    expect((await onDisk()).rules.map((r) => r.id)).toEqual(['down']);
  });

  it('rejects a bad rule or an unknown id with field errors and leaves the file alone', async () => {
    await monitor.saveRule(rule);
    const before = await fs.readFile(path.join(dir, 'config.json'), 'utf8');
    // Every problem at once, each on its own field.
    await expect(monitor.saveRule({ ...rule, series: 'cpu', crit: 10 })).rejects.toMatchObject({
      fields: [
        { path: 'series', message: expect.stringMatching(/series name/) },
        { path: 'crit', message: expect.stringMatching(/crit must be/) },
      ],
    });
    await expect(monitor.deleteRule('nope')).rejects.toMatchObject({
      fields: [{ path: 'id', message: 'no rule has id "nope"' }],
    });
    await expect(monitor.setRuleEnabled('nope', true)).rejects.toMatchObject({
      fields: [{ path: 'id', message: 'no rule has id "nope"' }],
    });
    expect(await fs.readFile(path.join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('keeps a rule change when a config reload (the file watcher) runs at the same time', async () => {
    // Each of the core's own writes makes the watcher reload config.json; a change landing
    // during that reload must not be reverted in memory.
    for (let i = 0; i < 20; i++) {
      await monitor.saveRule(rule);
      await Promise.all([monitor.config.reload(), monitor.deleteRule('hot-cpu')]);
      expect((await monitor.getConfig()).rules).toEqual([]);
      expect((await onDisk()).rules).toEqual([]);
    }
  });
});
