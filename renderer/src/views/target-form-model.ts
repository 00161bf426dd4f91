import type { Target, TargetInput, TargetKind } from '../../../shared/config-schema';
import { parseConditionText } from '../../../shared/condition-text';

/** The editor's flat text fields, one per input; converted to and from a TargetInput. */
export type FormValues = Record<string, string | boolean>;

export const KIND_FIELDS: Record<TargetKind, string[]> = {
  http: [
    'url',
    'method',
    'expectStatus',
    'timeoutMs',
    'bodyContains',
    'conditions',
    'metrics',
    'headers',
    'insecure',
  ],
  tcp: ['host', 'port', 'timeoutMs'],
  file: ['path', 'format', 'staleAfterSec', 'conditions', 'metrics'],
  prometheus: ['url', 'query', 'metric', 'bearerToken', 'timeoutMs', 'insecure'],
};

export const COMMON_FIELDS = ['kind', 'id', 'name', 'enabled', 'dependsOn'];

/** A problem found while turning text into structure, reported like a schema issue. */
export interface ParseIssue {
  path: string;
  message: string;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Numbers stay text when they do not parse, so the schema names the field. */
export function num(text: string): number | string | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

export function opt(text: string): string | undefined {
  const s = text.trim();
  return s === '' ? undefined : s;
}

export function toTargetInput(v: FormValues): { input: TargetInput; issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  const kind = s('kind') as TargetKind;
  const out: Record<string, unknown> = {
    kind,
    id: s('id').trim(),
    name: s('name').trim(),
    enabled: v.enabled !== false,
  };
  const dependsOn = opt(s('dependsOn'));
  if (dependsOn) out.dependsOn = dependsOn;
  const fields = KIND_FIELDS[kind] ?? [];
  for (const f of fields) {
    const text = s(f);
    switch (f) {
      case 'insecure':
        out.insecure = v.insecure === true;
        break;
      case 'timeoutMs':
      case 'port':
      case 'staleAfterSec': {
        const n = num(text);
        if (n !== undefined) out[f] = n;
        break;
      }
      case 'expectStatus': {
        const parts = text.split(/[\s,]+/).filter(Boolean);
        if (parts.length > 0) out.expectStatus = parts.map((p) => num(p));
        break;
      }
      case 'conditions':
        // A line that does not parse is reported once, here, and left out for the schema.
        out.conditions = lines(text).flatMap((line, i) => {
          const c = parseConditionText(line);
          if (!('error' in c)) return [c];
          issues.push({ path: `conditions[${i}]`, message: c.error });
          return [];
        });
        break;
      case 'metrics': {
        const metrics: Record<string, string> = {};
        lines(text).forEach((line, i) => {
          const eq = line.indexOf('=');
          if (eq < 0)
            issues.push({ path: `metrics[${i}]`, message: `"${line}": write name = $.path` });
          else metrics[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
        });
        out.metrics = metrics;
        break;
      }
      case 'headers': {
        const headers: Record<string, string> = {};
        lines(text).forEach((line, i) => {
          const colon = line.indexOf(':');
          if (colon < 1)
            issues.push({ path: `headers[${i}]`, message: `"${line}": write Name: value` });
          else headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
        });
        out.headers = headers;
        break;
      }
      default: {
        const o = opt(text);
        if (o !== undefined) out[f] = o;
      }
    }
  }
  return { input: out as TargetInput, issues };
}

function showValue(v: string | number | boolean | null | undefined): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function fromTarget(t: Target): FormValues {
  const v: FormValues = {
    kind: t.kind,
    id: t.id,
    name: t.name,
    enabled: t.enabled,
    dependsOn: t.dependsOn ?? '',
  };
  switch (t.kind) {
    case 'http':
      Object.assign(v, {
        url: t.url,
        method: t.method,
        expectStatus: (t.expectStatus ?? []).join(', '),
        timeoutMs: String(t.timeoutMs),
        bodyContains: t.bodyContains ?? '',
        headers: Object.entries(t.headers)
          .map(([k, x]) => `${k}: ${x}`)
          .join('\n'),
        insecure: t.insecure,
      });
      break;
    case 'tcp':
      Object.assign(v, { host: t.host, port: String(t.port), timeoutMs: String(t.timeoutMs) });
      break;
    case 'file':
      Object.assign(v, {
        path: t.path,
        format: t.format ?? '',
        staleAfterSec: t.staleAfterSec === undefined ? '' : String(t.staleAfterSec),
      });
      break;
    case 'prometheus':
      Object.assign(v, {
        url: t.url,
        query: t.query,
        metric: t.metric,
        bearerToken: t.bearerToken ?? '',
        timeoutMs: String(t.timeoutMs),
        insecure: t.insecure,
      });
      break;
  }
  if (t.kind === 'http' || t.kind === 'file') {
    v.conditions = t.conditions
      .map((c) =>
        c.op === 'exists' ? `${c.path} exists` : `${c.path} ${c.op} ${showValue(c.value)}`,
      )
      .join('\n');
    v.metrics = Object.entries(t.metrics)
      .map(([k, p]) => `${k} = ${p}`)
      .join('\n');
  }
  return v;
}

/** The input a schema or parse issue belongs to: `conditions[1].path` -> conditions. */
export function fieldOf(path: string): string {
  const m = /^[A-Za-z]+/.exec(path);
  return m ? m[0] : 'id';
}
