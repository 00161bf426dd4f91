import {
  VERDICT_LABEL,
  verdictOf,
  worstOf,
  type HealthState,
  type TargetHealth,
  type Verdict,
} from '../../../shared/health';

export interface SummaryOptions {
  paused: boolean;
  /** Unix ms until which all notifications are muted (0 or absent: not muted). */
  mutedUntil?: number;
  now: number;
}

export interface Summary {
  overall: HealthState;
  /** One line for the tray tooltip. */
  summary: string;
  /** One line per target for the tray menu. */
  lines: string[];
}

const NAMES_SHOWN = 3;

function names(list: TargetHealth[]): string {
  const shown = list.slice(0, NAMES_SHOWN).map((t) => t.name);
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join(', ')} +${more}` : shown.join(', ');
}

function clock(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** One line per target: "api — Down, down: ECONNREFUSED (depends on llm, which is down)". */
export function targetLine(t: TargetHealth): string {
  const figure = t.figure ? `, ${t.figure}` : '';
  const reason = t.reason ? ` (${t.reason})` : '';
  return `${t.name} — ${VERDICT_LABEL[verdictOf(t)]}${figure}${reason}`;
}

/**
 * The tray's verdict. Overall is the worst state among the targets that count: paused ones
 * (disabled, in maintenance) only decide it when nothing else is left.
 */
export function summarize(targets: readonly TargetHealth[], opts: SummaryOptions): Summary {
  const lines = targets.map(targetLine);
  if (opts.paused) return { overall: 'paused', summary: 'OpsPulse is paused', lines };
  if (targets.length === 0) return { overall: 'unknown', summary: 'No targets configured', lines };
  const counting = targets.filter((t) => t.state !== 'paused');
  const overall = counting.length === 0 ? 'paused' : worstOf(counting.map((t) => t.state));
  const by = (v: Verdict): TargetHealth[] => counting.filter((t) => verdictOf(t) === v);
  const parts: string[] = [];
  const down = by('down');
  const critical = by('critical');
  const degraded = by('degraded');
  const unknown = by('nodata');
  if (down.length > 0) parts.push(`${down.length} down: ${names(down)}`);
  if (critical.length > 0) parts.push(`${critical.length} critical: ${names(critical)}`);
  if (degraded.length > 0) parts.push(`${degraded.length} degraded: ${names(degraded)}`);
  if (unknown.length > 0 && unknown.length === counting.length)
    parts.push(`waiting for data (${unknown.length})`);
  else if (unknown.length > 0) parts.push(`${unknown.length} no data: ${names(unknown)}`);
  const okCount = by('ok').length;
  if (parts.length === 0) {
    parts.push(
      counting.length === 0
        ? 'all targets paused'
        : `all ${okCount} ${okCount === 1 ? 'target' : 'targets'} healthy`,
    );
  } else if (okCount > 0) parts.push(`${okCount} ok`);
  const paused = targets.length - counting.length;
  if (paused > 0 && counting.length > 0) parts.push(`${paused} paused`);
  if (opts.mutedUntil !== undefined && opts.mutedUntil > opts.now)
    parts.push(`muted until ${clock(opts.mutedUntil)}`);
  const summary = parts.join(' · ');
  return { overall, summary: summary[0].toUpperCase() + summary.slice(1), lines };
}
