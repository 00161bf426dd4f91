import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import {
  ConfigSchema,
  type Config,
  type ConfigInput,
  type TargetInput,
} from '../../shared/config-schema';
import type { Notification } from '../../shared/notification';
import {
  SAMPLE_VERSION,
  type Sample,
  type SystemSample,
  type TargetSample,
} from '../../shared/sample';
import { AlertEngine } from '../../electron/main/alerts/alert-engine';
import type { Notifier } from '../../electron/main/notifiers/notifier';

export class CollectingNotifier implements Notifier {
  sent: Notification[] = [];
  notify(n: Notification): void {
    this.sent.push(n);
  }
  take(): Notification[] {
    const out = this.sent;
    this.sent = [];
    return out;
  }
}

export async function makeTempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-alerts-'));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

/** A fresh temp dir for each test of the calling file, removed after the test. */
export function tempDirEachTest(): { readonly dir: string } {
  const tmp = { dir: '' };
  beforeEach(async () => {
    tmp.dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(tmp.dir);
  });
  return tmp;
}

export function target(id: string, extra: Partial<TargetInput> = {}): TargetInput {
  return {
    id,
    name: id.toUpperCase(),
    kind: 'tcp',
    host: '127.0.0.1',
    port: 1,
    ...extra,
  } as TargetInput;
}

export function config(input: ConfigInput): Config {
  return ConfigSchema.parse({ interval: 10, ...input });
}

type TargetValue = 0 | 1 | TargetSample;

export function sample(t: number, tg: Record<string, TargetValue>, sys?: SystemSample): Sample {
  const out: Sample = { v: SAMPLE_VERSION, t, tg: {} };
  for (const [id, v] of Object.entries(tg))
    out.tg[id] =
      typeof v === 'number' ? (v === 1 ? { up: 1, ms: 5 } : { up: 0, err: 'ECONNREFUSED' }) : v;
  if (sys) out.sys = sys;
  return out;
}

/** An engine on a temp dir with a hand-moved clock, and the samples feed it one tick at a time. */
export class Harness {
  t = Date.UTC(2026, 10, 25, 12, 0, 0);
  readonly notifier = new CollectingNotifier();
  engine!: AlertEngine;

  constructor(
    readonly dir: string,
    public cfg: Config,
  ) {}

  async open(): Promise<this> {
    this.engine = await AlertEngine.open({
      dataDir: this.dir,
      notifier: this.notifier,
      now: () => this.t,
    });
    return this;
  }

  /** One tick `interval` seconds after the previous one. */
  tick(tg: Record<string, TargetValue>, sys?: SystemSample) {
    this.t += this.cfg.interval * 1000;
    return this.engine.ingest(sample(this.t, tg, sys), this.cfg);
  }

  ticks(n: number, tg: Record<string, TargetValue>, sys?: SystemSample) {
    const events = [];
    for (let i = 0; i < n; i++) events.push(...this.tick(tg, sys));
    return events;
  }
}
