import { mapLimit } from '../../electron/main/collector/map-limit';
import { runProbe } from '../../electron/main/probes';
import type { LoopbackServer } from '../loopback-server';
import { quantile } from '../stats';
import { errors, f2, rawGet, sleep, target, verdict } from './harness';

/** Part 2: the error a capped concurrency adds when 100 targets share a tick. */
export async function manyTargets(server: LoopbackServer): Promise<void> {
  console.log(
    '\n2. 100 targets (delays 0/20/200 ms mixed), 5 ticks 1 s apart, each then repeated through bare sockets',
  );
  const delays = [0, 20, 200];
  const targets = Array.from({ length: 100 }, (_, i) =>
    target(`t${i}`, `${server.url}/?d=${delays[i % 3]}&i=${i}`),
  );
  for (const concurrency of [10, 5]) {
    const all: number[] = [];
    const floor: number[] = [];
    let tickMs = 0;
    for (let tick = 0; tick < 5; tick++) {
      const started = performance.now();
      const results = await mapLimit(targets, concurrency, (t) => runProbe(t, { intervalSec: 5 }));
      tickMs = Math.max(tickMs, performance.now() - started);
      all.push(...errors(results, 0).vsHold);
      await sleep(500);
      const raw = await mapLimit(targets, concurrency, (t) => rawGet(t.url));
      floor.push(...raw.map((r) => r.ms - r.hold));
      await sleep(500);
    }
    const p95 = quantile(all, 0.95);
    const floorP95 = quantile(floor, 0.95);
    console.log(
      `   concurrency ${String(concurrency).padStart(2)}: error median ${f2(quantile(all, 0.5))} ms, p95 ${f2(p95)} ms,` +
        ` slowest tick ${Math.round(tickMs)} ms; bare-socket floor p95 ${f2(floorP95)} ms, probe overhead` +
        ` ${f2(p95 - floorP95)} ms  budget p95 <= 10 ms: ${verdict(p95 <= 10)}`,
    );
  }
}
