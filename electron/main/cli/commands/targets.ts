import fs from 'node:fs/promises';
import { Command, Option } from 'commander';
import { z } from 'zod';
import {
  formatIssues,
  RuleSchema,
  TargetSchema,
  type Rule,
  type Target,
  type TargetInput,
} from '../../../../shared/config-schema';
import { maskTarget, maskUrl } from '../../../../shared/secrets';
import { ConfigError } from '../../config/config-error';
import { ConfigStore } from '../../config/config-store';
import { clashingIds, upsertById } from '../../core/list-edits';
import { parseCondition } from '../parse-condition';
import { printTable } from '../table';
import { dataDirOf } from '../program';

interface AddOptions {
  name?: string;
  disabled?: boolean;
  timeoutMs?: string;
  expectStatus?: string;
  contains?: string;
  condition: string[];
  metric: string[];
  staleAfter?: string;
  dependsOn?: string;
  header: string[];
  insecure?: boolean;
}

const collect = (value: string, prev: string[]) => [...prev, value];

export function registerTargetCommands(program: Command): void {
  const targets = program.command('targets').description('list, add, remove and import targets');

  targets
    .command('list')
    .description('list the configured targets')
    .option('--json', 'print the targets as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const store = await ConfigStore.open(dataDirOf(cmd));
      const list = store.get().targets;
      if (opts.json) {
        // Secrets stay in config.json: a listing is pasted into tickets and chats.
        console.log(JSON.stringify(list.map(maskTarget), null, 2));
        return;
      }
      if (list.length === 0) {
        console.log('No targets yet: only system metrics are collected.');
        console.log('Add one with `opspulse targets add http api http://127.0.0.1:8080/health`');
        console.log(
          'or import the AI-ops preset: `opspulse targets import resources/presets/ai-ops-stack.json`.',
        );
        return;
      }
      const rows = list.map((t) => [t.id, t.kind, t.enabled ? 'on' : 'off', address(t), t.name]);
      printTable(['ID', 'KIND', 'ENABLED', 'ADDRESS', 'NAME'], rows);
    });

  targets
    .command('add')
    .description('add a target (or replace the one with the same id)')
    .addArgument(
      new Command().createArgument('<kind>', 'http, tcp or file').choices(['http', 'tcp', 'file']),
    )
    .argument('<id>', 'short id: lowercase letters, digits, - and _')
    .argument('<address>', 'http: URL; tcp: host:port; file: path to a JSON or JSONL file')
    .option('--name <name>', 'display name (default: the id)')
    .option('--disabled', 'add it switched off')
    .option('--timeout-ms <ms>', 'deadline for one check')
    .option('--expect-status <codes>', 'http: accepted status codes, comma separated (default 2xx)')
    .option('--contains <text>', 'http: the body must contain this text')
    .option(
      '--condition <expr>',
      'a JSON condition, e.g. \'$.status == "healthy"\' (repeatable)',
      collect,
      [],
    )
    .option(
      '--metric <name=path>',
      'record a numeric JSON field, e.g. confidence=$.confidence (repeatable)',
      collect,
      [],
    )
    .option('--header <name:value>', 'http: request header (repeatable)', collect, [])
    .option('--stale-after <seconds>', 'file: down when unchanged for this long')
    .option('--depends-on <id>', 'suppress alerts while this other target is down')
    .addOption(new Option('--insecure', 'http: accept self-signed certificates'))
    .action(
      async (kind: Target['kind'], id: string, addr: string, opts: AddOptions, cmd: Command) => {
        const input = buildTarget(kind, id, addr, opts);
        const parsed = TargetSchema.safeParse(input);
        if (!parsed.success) throw new ConfigError(`target "${id}"`, formatIssues(parsed.error));
        const store = await ConfigStore.open(dataDirOf(cmd));
        const existed = store.get().targets.some((t) => t.id === id);
        await store.update((cfg) => {
          const i = cfg.targets.findIndex((t) => t.id === id);
          if (i >= 0) cfg.targets[i] = parsed.data;
          else cfg.targets.push(parsed.data);
        });
        console.log(
          `${existed ? 'Replaced' : 'Added'} ${kind} target "${id}" (${address(parsed.data)}).`,
        );
      },
    );

  targets
    .command('remove')
    .description('remove a target by id (its history stays on disk)')
    .argument('<id>')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const store = await ConfigStore.open(dataDirOf(cmd));
      if (!store.get().targets.some((t) => t.id === id))
        throw new Error(`no target has id "${id}" (see \`opspulse targets list\`)`);
      await store.update((cfg) => {
        cfg.targets = cfg.targets.filter((t) => t.id !== id);
        for (const t of cfg.targets) if (t.dependsOn === id) delete t.dependsOn;
      });
      console.log(`Removed target "${id}".`);
    });

  targets
    .command('import')
    .description(
      'import targets, and a preset\'s alert rules, from a JSON file (a config or preset with "targets" and optional "rules", or an array of targets)',
    )
    .argument('<file>')
    .option('--overwrite', 'replace targets and rules whose id already exists')
    .action(async (file: string, opts: { overwrite?: boolean }, cmd: Command) => {
      const incoming = await readImportFile(file);
      const store = await ConfigStore.open(dataDirOf(cmd));
      const cfg = store.get();
      const clashes = [
        ...clashingIds(incoming.targets, cfg.targets),
        ...clashingIds(incoming.rules, cfg.rules).map((id) => `rule ${id}`),
      ];
      if (clashes.length > 0 && !opts.overwrite)
        throw new Error(
          `${file}: ids already configured: ${clashes.join(', ')} (pass --overwrite to replace them)`,
        );
      await store.update((next) => {
        upsertById(next.targets, incoming.targets);
        upsertById(next.rules, incoming.rules);
      });
      const ruleNote =
        incoming.rules.length > 0
          ? ` and ${incoming.rules.length} rule(s): ${incoming.rules.map((r) => r.id).join(', ')}`
          : '';
      console.log(
        `Imported ${incoming.targets.length} target(s) from ${file}: ${incoming.targets.map((t) => t.id).join(', ')}${ruleNote}.`,
      );
    });
}

function buildTarget(kind: Target['kind'], id: string, addr: string, o: AddOptions): TargetInput {
  const base = {
    id,
    name: o.name ?? id,
    enabled: !o.disabled,
    ...(o.dependsOn ? { dependsOn: o.dependsOn } : {}),
    ...(o.timeoutMs ? { timeoutMs: num(o.timeoutMs, '--timeout-ms') } : {}),
  };
  const conditions = o.condition.map(parseCondition);
  const metrics = Object.fromEntries(o.metric.map(parseMetric));
  switch (kind) {
    case 'http':
      return {
        ...base,
        kind,
        url: addr,
        conditions,
        metrics,
        headers: Object.fromEntries(o.header.map(parseHeader)),
        insecure: Boolean(o.insecure),
        ...(o.contains ? { bodyContains: o.contains } : {}),
        ...(o.expectStatus
          ? { expectStatus: o.expectStatus.split(',').map((s) => num(s, '--expect-status')) }
          : {}),
      };
    case 'tcp': {
      const m = /^(.*):(\d+)$/.exec(addr);
      if (!m) throw new Error(`tcp address "${addr}": expected host:port, e.g. 127.0.0.1:6379`);
      return { ...base, kind, host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
    }
    case 'file':
      return {
        ...base,
        kind,
        path: addr,
        conditions,
        metrics,
        ...(o.staleAfter ? { staleAfterSec: num(o.staleAfter, '--stale-after') } : {}),
      };
    default:
      throw new Error(`unknown target kind "${String(kind)}"`);
  }
}

function num(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isFinite(n)) throw new Error(`${flag}: "${s}" is not a number`);
  return n;
}

function parseMetric(s: string): [string, string] {
  const at = s.indexOf('=');
  if (at <= 0)
    throw new Error(`--metric "${s}": expected name=$.path, e.g. confidence=$.confidence`);
  return [s.slice(0, at), s.slice(at + 1)];
}

function parseHeader(s: string): [string, string] {
  const at = s.indexOf(':');
  if (at <= 0) throw new Error(`--header "${s}": expected Name: value`);
  return [s.slice(0, at).trim(), s.slice(at + 1).trim()];
}

const ImportFile = z.object({
  targets: z.array(TargetSchema).min(1),
  rules: z.array(RuleSchema).default([]),
});

async function readImportFile(file: string): Promise<{ targets: Target[]; rules: Rule[] }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const bare = Array.isArray(json);
  const parsed = ImportFile.safeParse(bare ? { targets: json } : json);
  if (!parsed.success)
    throw new ConfigError(
      file,
      // A bare array's paths start at the array itself, as the user wrote it.
      formatIssues(parsed.error).map((p) =>
        bare ? p.replace(/^targets(?=:)/, '(root)').replace(/^targets\.?/, '') : p,
      ),
    );
  return parsed.data;
}

export function address(t: Target): string {
  switch (t.kind) {
    case 'http':
      return maskUrl(t.url);
    case 'tcp':
      return `${t.host}:${t.port}`;
    case 'file':
      return t.path;
    case 'prometheus':
      return `${maskUrl(t.url)} ${t.query}`;
  }
}
