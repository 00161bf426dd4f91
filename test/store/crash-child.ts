/**
 * Appends samples until killed: the crash test's writer. Prints the count now and then so
 * the parent knows when to pull the plug. Args: dataDir startMs [pauseMs between bursts].
 */
import { SampleStore } from '../../electron/main/store/sample-store';

const [dir, start, pause] = process.argv.slice(2);
const pauseMs = Number(pause ?? 0);
const store = await SampleStore.open(dir);
let i = 0;
const t0 = Number(start);
function burst(): void {
  for (let k = 0; k < 50; k++, i++) {
    const t = t0 + i * 1000;
    store.append({
      v: 1,
      t,
      sys: { cpu: (i * 7) % 100, disk: { '/': 50 } },
      tg: {
        a: { up: i % 13 === 0 ? 0 : 1, ms: 5 + (i % 17) },
        b: { up: 1, ms: 1 + (i % 5), m: { q: i % 3 } },
      },
    });
  }
  process.stdout.write(`${i}\n`);
  if (pauseMs > 0) setTimeout(burst, pauseMs);
  else setImmediate(burst);
}
burst();
