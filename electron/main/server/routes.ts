import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { AnomalyQuery } from '../../../shared/anomaly';
import type { FieldError, MonitorApi } from '../../../shared/api';
// Targets and rules arrive as plain objects: the core parses them and names each bad field.
import type { EmailInput, RuleInput, TargetInput } from '../../../shared/config-schema';
import { ConfigConflictError, ConfigError } from '../config/config-error';
import { checkRangeLength, OverBudgetError } from '../core/bounded-work';
import {
  EnabledBody,
  EventsParams,
  isFieldErrors,
  MuteBody,
  PausedBody,
  QueryParams,
  RangeParams,
  ReportParams,
  RuleBody,
  TargetBody,
  toFieldErrors,
  typedQuery,
} from './params';

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return Symbol.for('invalid-json');
  }
}

async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.infer<S>>> {
  const raw = await jsonBody(c);
  if (raw === Symbol.for('invalid-json'))
    return { ok: false, response: c.json({ error: 'the request body is not valid JSON' }, 400) };
  return check(c, schema, raw);
}

function check<S extends z.ZodType>(c: Context, schema: S, raw: unknown): Parsed<z.infer<S>> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const errors = toFieldErrors(r.error);
  const error = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return { ok: false, response: c.json({ error, errors }, 400) };
}

/** Parameters the transport uses, not the payload: the token and the download switch. */
const TRANSPORT_PARAMS = ['token', 'download'];

function queryOf(c: Context, lists: string[] = []): Record<string, unknown> {
  const out: Record<string, string | string[]> = { ...c.req.query() };
  for (const key of lists) {
    const all = c.req.queries(key);
    if (all) out[key] = all.flatMap((v) => v.split(',')).filter((v) => v !== '');
  }
  for (const key of TRANSPORT_PARAMS) delete out[key];
  return typedQuery(out);
}

/** The core rejects a bad change with an Error carrying `fields` (core/field-errors). */
function fieldsOf(err: unknown): FieldError[] | null {
  if (!(err instanceof Error) || !('fields' in err)) return null;
  return isFieldErrors(err.fields) ? err.fields : null;
}

/**
 * A change the whole-config validation refused (`targets[2].url: ...`): the caller's fault,
 * answered by field like any other, without the config file's path.
 */
function configFields(err: unknown): FieldError[] | null {
  if (!(err instanceof ConfigError)) return null;
  return err.problems.map((p) => {
    const m = /^([\w$.[\]-]+): (.*)$/s.exec(p);
    return m ? { path: m[1], message: m[2] } : { path: '(root)', message: p };
  });
}

/** The core's rejections: field errors are the caller's fault, anything else is ours. */
function failure(c: Context, err: unknown): Response {
  const fields = isFieldErrors(err) ? err : (fieldsOf(err) ?? configFields(err));
  if (fields) {
    const error = fields.map((e) => `${e.path}: ${e.message}`).join('; ');
    return c.json({ error, errors: fields }, 400);
  }
  if (err instanceof OverBudgetError) return c.json({ error: err.message }, 503);
  // A broken hand edit in config.json: the change is not the caller's fault, nor a crash.
  if (err instanceof ConfigConflictError) return c.json({ error: err.message }, 409);
  const message = err instanceof Error ? err.message : String(err);
  return c.json({ error: message }, 500);
}

async function answer(c: Context, work: () => Promise<unknown>): Promise<Response> {
  try {
    return c.json(await work());
  } catch (err) {
    return failure(c, err);
  }
}

/** JSON routes mirroring MonitorApi one to one (reads are GET, changes POST/PUT/DELETE). */
export function mountApi(app: Hono, api: MonitorApi): void {
  app.get('/api/config', (c) => answer(c, () => api.getConfig()));

  app.put('/api/targets', async (c) => {
    const p = await parseBody(c, TargetBody);
    return p.ok ? answer(c, () => api.saveTarget(p.value as TargetInput)) : p.response;
  });
  app.delete('/api/targets/:id', (c) => answer(c, () => api.deleteTarget(c.req.param('id'))));
  app.post('/api/targets/:id/enabled', async (c) => {
    const p = await parseBody(c, EnabledBody);
    return p.ok
      ? answer(c, () => api.setTargetEnabled(c.req.param('id'), p.value.enabled))
      : p.response;
  });
  app.put('/api/rules', async (c) => {
    const p = await parseBody(c, RuleBody);
    return p.ok ? answer(c, () => api.saveRule(p.value as RuleInput)) : p.response;
  });
  app.delete('/api/rules/:id', (c) => answer(c, () => api.deleteRule(c.req.param('id'))));
  app.put('/api/settings/email', async (c) => {
    const saveEmail = api.saveEmail?.bind(api);
    if (!saveEmail) return c.json({ error: 'email settings are not available here' }, 404);
    const p = await parseBody(c, RuleBody.nullable());
    return p.ok ? answer(c, () => saveEmail(p.value as EmailInput | null)) : p.response;
  });
  app.post('/api/rules/:id/enabled', async (c) => {
    const p = await parseBody(c, EnabledBody);
    return p.ok
      ? answer(c, () => api.setRuleEnabled(c.req.param('id'), p.value.enabled))
      : p.response;
  });
  app.post('/api/test', async (c) => {
    const p = await parseBody(c, TargetBody);
    return p.ok ? answer(c, () => api.testTarget(p.value as TargetInput)) : p.response;
  });

  app.get('/api/query', (c) => {
    const p = check(c, QueryParams, queryOf(c, ['series']));
    return p.ok ? answer(c, () => api.query(p.value, { signal: c.req.raw.signal })) : p.response;
  });
  app.get('/api/analyze', (c) => {
    const p = check(c, RangeParams, queryOf(c));
    return p.ok ? answer(c, () => api.analyze(p.value, { signal: c.req.raw.signal })) : p.response;
  });
  app.get('/api/anomalies', (c) => {
    const p = check(c, AnomalyQuery, queryOf(c));
    const anomalies = api.anomalies?.bind(api);
    if (!anomalies) return c.json({ error: 'anomalies are not available here' }, 404);
    if (!p.ok) return p.response;
    // In-memory marks cost little, but every ranged route keeps the same limit.
    return answer(c, async () => {
      checkRangeLength(p.value);
      return anomalies(p.value);
    });
  });
  app.get('/api/forecasts', (c) => {
    const forecasts = api.forecasts?.bind(api);
    if (!forecasts) return c.json({ error: 'forecasts are not available here' }, 404);
    return answer(c, () => forecasts());
  });
  app.get('/api/health', (c) => answer(c, () => api.health()));
  app.get('/api/events', (c) => {
    const p = check(c, EventsParams, queryOf(c));
    return p.ok ? answer(c, () => api.events(p.value)) : p.response;
  });
  app.get('/api/report', async (c) => {
    const p = check(c, ReportParams, queryOf(c, ['targets']));
    if (!p.ok) return p.response;
    const signal = c.req.raw.signal;
    if (c.req.query('download') === undefined)
      return answer(c, () => api.exportReport(p.value, { signal }));
    try {
      const file = await api.exportReport(p.value, { signal });
      const safeName = file.filename.replace(/[^A-Za-z0-9._-]/g, '_');
      c.header('Content-Disposition', `attachment; filename="${safeName}"`);
      return c.body(file.content, 200, { 'Content-Type': file.mime });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/api/paused', async (c) => {
    const p = await parseBody(c, PausedBody);
    return p.ok ? answer(c, () => api.setPaused(p.value.paused)) : p.response;
  });
  app.post('/api/mute', async (c) => {
    const p = await parseBody(c, MuteBody);
    return p.ok ? answer(c, () => api.mute(p.value.until, p.value.target)) : p.response;
  });
}
