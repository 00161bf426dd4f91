import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mapLimit } from '../../electron/main/collector/map-limit';
import { runProbe } from '../../electron/main/probes';
import type { SystemProbe } from '../../electron/main/probes/system';
import type { LoopbackServer } from '../loopback-server';
import { bareSystemInformation, f2, sleep, target, verdict } from './harness';

/** Part 3, next to the machine's idle noise and to systeminformation on the main thread. */
export async function eventLoop(server: LoopbackServer, system: SystemProbe): Promise<void> {
  console.log(
    '\n3. main-thread event-loop delay while collecting (system + 20 targets, every 1 s, 10 s)',
  );
  const targets = Array.from({ length: 20 }, (_, i) => target(`e${i}`, `${server.url}/?i=${i}`));
  const measure = async (
    collect: () => Promise<unknown>,
  ): Promise<{ p99: number; max: number }> => {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    for (let i = 0; i < 10; i++) {
      await collect();
      await sleep(1000);
    }
    h.disable();
    return { p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  };
  const idle = await measure(() => Promise.resolve());
  const worker = await measure(() =>
    Promise.all([
      system.collect({ slow: true }),
      mapLimit(targets, 10, (t) => runProbe(t, { intervalSec: 1 })),
    ]),
  );
  const onMain = await measure(() =>
    Promise.all([
      bareSystemInformation(),
      mapLimit(targets, 10, (t) => runProbe(t, { intervalSec: 1 })),
    ]),
  );
  console.log(`   idle (machine noise floor): p99 ${f2(idle.p99)} ms, max ${f2(idle.max)} ms`);
  console.log(
    `   system metrics in the worker: p99 ${f2(worker.p99)} ms, max ${f2(worker.max)} ms  budget p99 < 10 ms: ${verdict(worker.p99 < 10)}`,
  );
  console.log(
    `   for comparison, systeminformation on the main thread: p99 ${f2(onMain.p99)} ms, max ${f2(onMain.max)} ms`,
  );
}
