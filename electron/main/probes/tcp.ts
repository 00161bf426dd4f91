import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TcpTarget } from '../../../shared/config-schema';
import type { ProbeResult } from '../../../shared/sample';
import { Deadline } from './deadline';
import { describeError } from './errors';

/** Up when a TCP connection to host:port opens within the deadline; ms is the connect time. */
export function probeTcp(
  target: Pick<TcpTarget, 'host' | 'port'>,
  deadlineMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const where = `${target.host}:${target.port}`;
  let socket: Socket;
  try {
    // Throws at once on a port out of range, which only a target that skipped the schema has.
    socket = connect({ host: target.host, port: target.port });
  } catch (err) {
    return Promise.resolve({ up: false, error: describeError(err, where) });
  }
  const start = performance.now();
  const deadline = new Deadline(deadlineMs, signal);
  return new Promise<ProbeResult>((resolve) => {
    const finish = (r: ProbeResult): void => {
      deadline.dispose();
      socket.destroy();
      resolve(r);
    };
    socket.once('connect', () => finish({ up: true, ms: performance.now() - start }));
    socket.once('error', (err) => finish({ up: false, error: describeError(err, where) }));
    const onAbort = (): void => finish({ up: false, error: `${deadline.message()} (${where})` });
    if (deadline.signal.aborted) onAbort();
    else deadline.signal.addEventListener('abort', onAbort, { once: true });
  });
}
