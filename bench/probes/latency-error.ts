import type { ProbeResult } from '../../shared/sample';
import { closeHttpAgents, runProbe } from '../../electron/main/probes';
import type { SystemProbe } from '../../electron/main/probes/system';
import type { LoopbackServer } from '../loopback-server';
import { quantile } from '../stats';
import { errors, f2, KeptSocket, rawGet, sleep, target, verdict } from './harness';

/**
 * Part 1. The error is the probe's total latency minus the time the server held the request
 * (the server reports it in the body, and the probe records it as a metric), so timer jitter
 * in the server is not blamed on the probe; the error against the nominal delay is shown too.
 */
export async function latencyError(server: LoopbackServer, system: SystemProbe): Promise<void> {
  console.log(
    '\n1. latency error, a probe and its bare-socket floor alternately every 125 ms, system metrics collected meanwhile',
  );
  console.log(
    '   new connection: as at a 5 s interval, where the 4 s keep-alive has lapsed, vs a bare socket;' +
      ' kept connection: as at a 1 s interval vs one bare socket kept open',
  );
  // System collection runs the whole time, to show probe timing does not share its thread.
  let collecting = true;
  const background = (async () => {
    while (collecting) {
      await system.collect({ slow: true });
      await sleep(500);
    }
  })();
  for (const delay of [0, 20, 200]) {
    const url = `${server.url}/?d=${delay}`;
    const fresh = target(`d${delay}`, url);
    const kept = target(`k${delay}`, url);
    const refused = target('refused', 'http://127.0.0.1:1/');
    const keptSocket = new KeptSocket(new URL(url));
    const probeNew: ProbeResult[] = [];
    const probeKept: ProbeResult[] = [];
    const rawNew: number[] = [];
    const rawKept: number[] = [];
    // Each probe interleaved with its floor, so both see the same moments of machine load.
    for (let i = 0; i < 30; i++) {
      // A lapsed keep-alive drops the origin's pool but not the agent: drop both, then let an
      // untimed probe of a closed port make the agent again, outside the timed probe.
      await closeHttpAgents();
      await runProbe(refused, { intervalSec: 5 });
      probeNew.push(await runProbe(fresh, { intervalSec: 5 }));
      await sleep(125);
      const r = await rawGet(url);
      rawNew.push(r.ms - r.hold);
      await sleep(125);
    }
    await closeHttpAgents();
    // One untimed round first opens the two connections that the timed ones keep using.
    await runProbe(kept, { intervalSec: 1 });
    await keptSocket.get();
    for (let i = 0; i < 30; i++) {
      await sleep(125);
      probeKept.push(await runProbe(kept, { intervalSec: 1 }));
      await sleep(125);
      const k = await keptSocket.get();
      rawKept.push(k.ms - k.hold);
    }
    keptSocket.close();
    const line = (label: string, results: ProbeResult[], raw: number[]): string => {
      const e = errors(results, delay);
      const med = quantile(e.vsHold, 0.5);
      const rawMed = quantile(raw, 0.5);
      return (
        `   delay ${String(delay).padStart(3)} ms, ${label}: error median ${f2(med)} ms, p95 ${f2(quantile(e.vsHold, 0.95))} ms` +
        ` (vs nominal delay: median ${f2(quantile(e.vsNominal, 0.5))} ms); bare-socket floor median ${f2(rawMed)} ms,` +
        ` probe overhead ${f2(med - rawMed)} ms  budget median <= 2 ms: ${verdict(med <= 2)}`
      );
    };
    console.log(line('new connection ', probeNew, rawNew));
    console.log(line('kept connection', probeKept, rawKept));
  }
  collecting = false;
  await background;
}
