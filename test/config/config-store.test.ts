import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigConflictError,
  ConfigDeletedError,
  ConfigError,
} from '../../electron/main/config/config-error';
import { ConfigStore } from '../../electron/main/config/config-store';
import { resolveDataDir } from '../../electron/main/config/data-dir';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => removeDir(dir));

const file = () => path.join(dir, 'config.json');

async function openError(): Promise<ConfigError> {
  const err = await ConfigStore.open(dir).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('ConfigStore', () => {
  it('writes first-run defaults: system metrics only, 30 s interval', async () => {
    const store = await ConfigStore.open(dir);
    expect(store.get()).toMatchObject({ interval: 30, targets: [], system: { enabled: true } });
    const onDisk = JSON.parse(await fs.readFile(file(), 'utf8'));
    expect(onDisk.interval).toBe(30);
    expect(onDisk.retention).toEqual({ rawDays: 14, minuteDays: 90, hourDays: 1825 });
  });

  it('names the line and column of a JSON syntax error and leaves the file alone', async () => {
    const broken = '{\n  "interval": 30,\n  "targets": [\n    { "id": "a", }\n  ]\n}\n';
    await fs.writeFile(file(), broken);
    const err = await openError();
    expect(err.problems[0]).toMatch(/not valid JSON at line 4, column \d+/);
    expect(err.message).toContain(file());
    expect(await fs.readFile(file(), 'utf8')).toBe(broken);
  });

  it('names the JSON path and problem of each schema error', async () => {
    const bad = {
      interval: 0,
      targets: [
        { id: 'ok', name: 'fine', kind: 'tcp', host: '127.0.0.1', port: 80 },
        { id: 'web', name: 'Web', kind: 'http', url: 'ftp://example' },
        { id: 'Bad.Id', name: 'x', kind: 'tcp', host: 'h', port: 70000 },
      ],
    };
    await fs.writeFile(file(), JSON.stringify(bad));
    const err = await openError();
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^interval: /),
        'targets[1].url: an http:// or https:// URL',
        expect.stringMatching(/^targets\[2\]\.id: use 1-63 lowercase/),
        expect.stringMatching(/^targets\[2\]\.port: /),
      ]),
    );
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toEqual(bad);
  });

  it('rejects duplicate ids and unknown dependencies', async () => {
    const t = { name: 'x', kind: 'tcp', host: 'h', port: 1 };
    await fs.writeFile(
      file(),
      JSON.stringify({
        targets: [
          { id: 'a', ...t },
          { id: 'a', ...t },
          { id: 'b', dependsOn: 'zz', ...t },
        ],
      }),
    );
    const err = await openError();
    expect(err.problems).toContain('targets[1].id: "a" is already used by targets[0]');
    expect(err.problems).toContain('targets[2].dependsOn: no target has id "zz"');
  });

  it('names a JSON path in a condition or metric that cannot be parsed', async () => {
    const t = { id: 'api', name: 'API', kind: 'http', url: 'http://127.0.0.1:1/' };
    await fs.writeFile(
      file(),
      JSON.stringify({
        targets: [{ ...t, conditions: [{ path: '$.a[', op: 'exists' }], metrics: { q: '$.ok' } }],
      }),
    );
    const err = await openError();
    expect(err.problems).toEqual([expect.stringMatching(/^targets\[0\]\.conditions\[0\]\.path: /)]);
  });

  it('validates every change, keeps a backup, and never writes an invalid one', async () => {
    const store = await ConfigStore.open(dir);
    const seen: number[] = [];
    store.onChange((c) => seen.push(c.interval));
    await store.update((c) => {
      c.interval = 5;
    });
    expect(JSON.parse(await fs.readFile(file(), 'utf8')).interval).toBe(5);
    expect(JSON.parse(await fs.readFile(`${file()}.bak`, 'utf8')).interval).toBe(30);
    await expect(
      store.update((c) => {
        c.interval = -1;
      }),
    ).rejects.toThrow(/interval/);
    expect(store.get().interval).toBe(5);
    expect(JSON.parse(await fs.readFile(file(), 'utf8')).interval).toBe(5);
    expect(seen).toEqual([5]);
  });

  it('serialises concurrent updates so none is lost', async () => {
    const store = await ConfigStore.open(dir);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.update((c) => {
          c.targets.push({
            id: `t${i}`,
            name: `T${i}`,
            kind: 'tcp',
            host: '127.0.0.1',
            port: 1000 + i,
            enabled: true,
            timeoutMs: 1000,
          });
        }),
      ),
    );
    const reopened = await ConfigStore.open(dir);
    expect(
      reopened
        .get()
        .targets.map((t) => t.id)
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
  });
});

describe('resolveDataDir', () => {
  it('prefers --data, then OPSPULSE_DATA, then the per-user folder', () => {
    expect(resolveDataDir('/x/y', { OPSPULSE_DATA: '/env' })).toBe(path.resolve('/x/y'));
    expect(resolveDataDir(undefined, { OPSPULSE_DATA: '/env' })).toBe(path.resolve('/env'));
    expect(resolveDataDir(undefined, {})).toMatch(/opspulse$/);
  });
});

describe('ConfigStore beside hand edits', () => {
  it('keeps the running config when config.json is deleted, and writes it back on the next change', async () => {
    const store = await ConfigStore.open(dir);
    await store.update((c) => {
      c.targets.push({ id: 'db', name: 'DB', kind: 'tcp', host: '127.0.0.1', port: 5432 } as never);
    });
    await fs.rm(file());
    await expect(store.reload()).rejects.toBeInstanceOf(ConfigDeletedError);
    expect(store.get().targets.map((t) => t.id)).toEqual(['db']);
    await store.update((c) => {
      c.interval = 10;
    });
    const onDisk = JSON.parse(await fs.readFile(file(), 'utf8'));
    expect(onDisk).toMatchObject({ interval: 10, targets: [{ id: 'db' }] });
  });

  it('refuses a change while config.json holds a broken hand edit, overwriting nothing', async () => {
    const store = await ConfigStore.open(dir);
    await store.update((c) => {
      c.interval = 15;
    });
    await store.update((c) => {
      c.interval = 20;
    });
    const goodBak = await fs.readFile(`${file()}.bak`, 'utf8');
    const broken = '{ "interval": 20, "targets": [ { "id": "half" \n';
    await fs.writeFile(file(), broken);
    const err = await store
      .update((c) => {
        c.interval = 60;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigConflictError);
    expect((err as ConfigConflictError).status).toBe(409);
    expect((err as Error).message).toMatch(/edited by hand.*not saved/s);
    expect(await fs.readFile(file(), 'utf8')).toBe(broken);
    expect(await fs.readFile(`${file()}.bak`, 'utf8')).toBe(goodBak);
    expect(store.get().interval).toBe(20);
  });

  it('applies a change on top of a valid hand edit not yet reloaded', async () => {
    const store = await ConfigStore.open(dir);
    const edited = JSON.parse(await fs.readFile(file(), 'utf8'));
    edited.interval = 45;
    await fs.writeFile(file(), JSON.stringify(edited));
    await store.update((c) => {
      c.concurrency = 4;
    });
    expect(store.get()).toMatchObject({ interval: 45, concurrency: 4 });
  });
});
