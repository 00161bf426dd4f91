import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeTcp } from '../../electron/main/probes/tcp';
import { refusedPort, stalledListener } from './helpers';

let server: net.Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('tcp probe', () => {
  it('is up with the connect latency when the port listens', async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const r = await probeTcp({ host: '127.0.0.1', port }, 2000);
    expect(r.up).toBe(true);
    expect(r.ms).toBeGreaterThan(0);
    expect(r.error).toBeUndefined();
  });

  it('a refused port is down with "connection refused"', async () => {
    const port = await refusedPort();
    expect(await probeTcp({ host: '127.0.0.1', port }, 2000)).toEqual({
      up: false,
      error: `connection refused (127.0.0.1:${port})`,
    });
  });

  it('a name with several addresses, all refusing, still says "connection refused"', async () => {
    const port = await refusedPort();
    expect(await probeTcp({ host: 'localhost', port }, 2000)).toEqual({
      up: false,
      error: `connection refused (localhost:${port})`,
    });
  });

  it('an unknown host is down with "host not found"', async () => {
    const r = await probeTcp({ host: 'no-such-host.invalid', port: 80 }, 5000);
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/^(host not found|DNS lookup failed|timed out)/);
  });

  it('times out at the deadline when the server never completes the handshake', async () => {
    const stalled = await stalledListener();
    try {
      const started = Date.now();
      const r = await probeTcp({ host: '127.0.0.1', port: stalled.port }, 300);
      expect(r).toEqual({ up: false, error: `timed out after 300 ms (127.0.0.1:${stalled.port})` });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      stalled.close();
    }
  });

  it('stops when the caller cancels', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await probeTcp({ host: '127.0.0.1', port: 9 }, 5000, ac.signal);
    expect(r).toEqual({ up: false, error: 'cancelled (127.0.0.1:9)' });
  });
});
