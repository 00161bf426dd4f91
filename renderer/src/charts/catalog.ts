import type { Config } from '../../../shared/config-schema';
import { parseTargetSeries } from '../../../shared/series';
import { fmtBytesRate, fmtMs, fmtNum, fmtPct } from '../format';
import { latencyLogAxis, pctAxis, rateAxis } from './axis-units';
import type { ChartSpec } from './chart-spec';

const pct = (v: number | null | undefined) => fmtPct(v, 1);

/** Custom metric names by target, from the config and from what live samples carried. */
function metricsByName(cfg: Config, seen: Iterable<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (metric: string, id: string) => {
    let ids = out.get(metric);
    if (!ids) out.set(metric, (ids = new Set()));
    ids.add(id);
  };
  const known = new Set(cfg.targets.map((t) => t.id));
  for (const t of cfg.targets) {
    if (t.kind === 'http' || t.kind === 'file')
      for (const m of Object.keys(t.metrics)) add(m, t.id);
    if (t.kind === 'prometheus') add(t.metric, t.id);
  }
  for (const name of seen) {
    const p = parseTargetSeries(name);
    if (p && known.has(p.id) && p.rest.startsWith('m.')) add(p.rest.slice(2), p.id);
  }
  return out;
}

/** Every chart the dashboard draws for this config, in display order. */
export function chartSpecs(cfg: Config, seen: Iterable<string>): ChartSpec[] {
  const seenList = [...seen];
  const targets = cfg.targets.filter((t) => t.enabled);
  const nameOf = new Map(cfg.targets.map((t) => [t.id, t.name]));
  const specs: ChartSpec[] = [];
  if (targets.length > 0)
    specs.push({
      key: 'latency',
      title: 'Latency of every target (ms, log scale) · strips below: down time per target',
      lines: targets.map((t) => ({ series: `tg.${t.id}.ms`, label: t.name })),
      shadeDown: targets.map((t) => `tg.${t.id}.up`),
      format: fmtMs,
      axis: latencyLogAxis,
      log: true,
      // Six lines with their bands are a thicket: one point per pixel column, no bands.
      bands: false,
    });
  specs.push(
    {
      key: 'cpu',
      title: 'CPU (%)',
      lines: [{ series: 'sys.cpu', label: 'CPU' }],
      format: pct,
      axis: pctAxis,
      yRange: [0, 100],
    },
    {
      key: 'mem',
      title: 'Memory and swap (% used)',
      lines: [
        { series: 'sys.mem', label: 'memory' },
        { series: 'sys.swap', label: 'swap' },
      ],
      format: pct,
      axis: pctAxis,
      yRange: [0, 100],
    },
  );
  const disks = seenList.filter((s) => s.startsWith('sys.disk.'));
  specs.push(
    {
      key: 'disk',
      title: 'Disk use (% full, per mount)',
      lines: (disks.length > 0 ? disks : ['sys.disk./'])
        .sort()
        .map((s) => ({ series: s, label: s.slice(9) })),
      format: pct,
      axis: pctAxis,
      yRange: [0, 100],
    },
    {
      key: 'net',
      title: 'Network (bytes/s, decimal: 1 kB = 1000 B)',
      lines: [
        { series: 'sys.net.rx', label: 'receive' },
        { series: 'sys.net.tx', label: 'transmit' },
      ],
      format: fmtBytesRate,
      axis: rateAxis,
    },
  );
  for (const [metric, ids] of [...metricsByName(cfg, seenList)].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const owners = [...ids].map((id) => nameOf.get(id) ?? id).join(', ');
    specs.push({
      key: `m.${metric}`,
      // Custom metrics carry no unit: the title says whose they are and that.
      title: `${metric} · ${owners} (as reported, no unit)`,
      lines: [...ids].map((id) => ({
        series: `tg.${id}.m.${metric}`,
        label: nameOf.get(id) ?? id,
      })),
      format: fmtNum,
    });
  }
  return specs;
}
