import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import {
  checkConfig,
  ConfigSchema,
  formatIssues,
  type Config,
  type ConfigInput,
} from '../../../shared/config-schema';
import { jsonPathProblems } from '../probes/conditions';
import { ConfigError, describeJsonSyntaxError } from './config-error';

export const CONFIG_FILE = 'config.json';

/** Validates a whole config; throws ConfigError naming each bad path. */
export function validateConfig(input: unknown, file: string): Config {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(file, formatIssues(parsed.error));
  const problems = [
    ...checkConfig(parsed.data),
    // The schema only checks the leading $; a path that cannot parse would silently
    // record nothing, so it is refused here with its field.
    ...parsed.data.targets.flatMap((t, i) =>
      t.kind === 'http' || t.kind === 'file'
        ? jsonPathProblems(t).map((p) => `targets[${i}].${p}`)
        : [],
    ),
  ];
  if (problems.length > 0) throw new ConfigError(file, problems);
  return parsed.data;
}

type Listener = (cfg: Config) => void;

/**
 * config.json through lowdb, one instance per file. Every change is validated before it is
 * written, and the previous good file is kept as config.json.bak. A broken file on disk is
 * never overwritten: open() throws a ConfigError and the caller does not start collecting.
 */
export class ConfigStore {
  private listeners = new Set<Listener>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private db: Low<ConfigInput>,
    private current: Config,
  ) {}

  static async open(dataDir: string): Promise<ConfigStore> {
    await fs.mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, CONFIG_FILE);
    const db = new Low<ConfigInput>(new JSONFile<ConfigInput>(file), {});
    let text: string | null = null;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === null) {
      const cfg = validateConfig({}, file);
      db.data = cfg;
      await db.write();
      return new ConfigStore(file, db, cfg);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(file, [describeJsonSyntaxError(text, err as SyntaxError)]);
    }
    const cfg = validateConfig(raw, file);
    db.data = raw as ConfigInput;
    return new ConfigStore(file, db, cfg);
  }

  get(): Config {
    return this.current;
  }

  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Applies a change to a copy, validates it, writes it. Changes are serialised so two
   * callers never interleave lowdb's temp-file writes.
   */
  update(change: (draft: Config) => void): Promise<Config> {
    const run = async (): Promise<Config> => {
      const draft = structuredClone(this.current);
      change(draft);
      const next = validateConfig(draft, this.file);
      await fs.copyFile(this.file, `${this.file}.bak`).catch(() => undefined);
      this.db.data = next;
      await this.db.write();
      this.current = next;
      for (const fn of this.listeners) fn(next);
      return next;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /**
   * Re-reads the file after a hand edit; keeps the current config if the file is broken.
   * Queued with the changes: a reload reading the file before a change's write and
   * finishing after it would put the old config back in memory.
   */
  reload(): Promise<Config> {
    const run = async (): Promise<Config> => {
      const fresh = await ConfigStore.open(path.dirname(this.file));
      this.db = fresh.db;
      this.current = fresh.current;
      for (const fn of this.listeners) fn(this.current);
      return this.current;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
