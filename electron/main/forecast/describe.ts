import type { TimeToFull } from './time-to-full';

/** How long, in words a person reads at a glance: "~9 days", "~5 h", "< 1 h". */
function span(days: number): string {
  if (days >= 2) return `~${Math.round(days)} days`;
  const hours = days * 24;
  return hours >= 1 ? `~${Math.round(hours)} h` : '< 1 h';
}

/** One line for a tile, page or report: "full in ~9 days at the last day's rate". */
export function describeTimeToFull(f: TimeToFull): string {
  switch (f.kind) {
    case 'full':
      return f.days <= 0
        ? 'full now'
        : `full in ${span(f.days)} at the ${f.accelerating ? 'rising' : "last day's"} rate`;
    case 'not-filling':
      return 'not filling up';
    case 'poor-fit':
      return `no forecast: ${f.reason}`;
    case 'not-enough-data':
      return `not enough data (${f.reason})`;
  }
}
