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
import {
  ConfigConflictError,
  ConfigDeletedError,
  ConfigError,
  describeJsonSyntaxError,
} from './config-error';

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

/** Parses and validates config.json's text; throws ConfigError (with line and column for bad JSON). */
function parseConfigText(text: string, file: string): { raw: unknown; cfg: Config } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [describeJsonSyntaxError(text, err as SyntaxError)]);
  }
  return { raw, cfg: validateConfig(raw, file) };
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
    const { raw, cfg } = parseConfigText(text, file);
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
      const onDisk = await this.readDisk();
      const draft = structuredClone(onDisk ?? this.current);
      change(draft);
      const next = validateConfig(draft, this.file);
      // Only a file that passed is kept as the backup: never a broken one over a good one.
      if (onDisk) await fs.copyFile(this.file, `${this.file}.bak`);
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
   * The config on disk, which a change applies to: a valid hand edit not yet reloaded is
   * kept, a deleted file is written anew from the running config (null), and a broken
   * hand edit refuses the change (ConfigConflictError) rather than be overwritten.
   */
  private async readDisk(): Promise<Config | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return parseConfigText(text, this.file).cfg;
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigConflictError(this.file, err.problems);
      throw err;
    }
  }

  /**
   * Re-reads the file after a hand edit; keeps the current config if the file is broken,
   * and also if it was deleted (ConfigDeletedError): an empty default would stop all
   * monitoring.
   * Queued with the changes: a reload reading the file before a change's write and
   * finishing after it would put the old config back in memory.
   */
  reload(): Promise<Config> {
    const run = async (): Promise<Config> => {
      let text: string;
      try {
        text = await fs.readFile(this.file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          throw new ConfigDeletedError(this.file);
        throw err;
      }
      const { raw, cfg } = parseConfigText(text, this.file);
      this.db.data = raw as ConfigInput;
      this.current = cfg;
      for (const fn of this.listeners) fn(this.current);
      return this.current;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
