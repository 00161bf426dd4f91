import { describe, expect, it } from 'vitest';
import type { MonitorApi } from '../../shared/api';
import type { HealthSnapshot } from '../../shared/health';
import { INVOKE_METHODS, invokeChannel, PUSH_CHANNELS } from '../../shared/ipc';
import { createMonitorBridge, type IpcRendererLike } from '../../electron/preload/bridge';
import type { InvokeEventLike } from '../../electron/main/shell/electron-api';
import { registerIpc, trustOnly } from '../../electron/main/shell/ipc-handlers';
import { FakeIpcMain, FakeWebContents } from './fake-electron';
import { ScriptedMonitor } from './scripted-monitor';

const OURS = new FakeWebContents();
const ourFrame: InvokeEventLike = {
  sender: OURS,
  senderFrame: { url: 'app://opspulse/index.html#target=api' },
};

function setup() {
  const ipcMain = new FakeIpcMain();
  const monitor = new ScriptedMonitor();
  const refused: string[] = [];
  const unregister = registerIpc(
    ipcMain,
    monitor,
    trustOnly(() => OURS.id),
    (r) => refused.push(r),
  );
  return { ipcMain, monitor, refused, unregister };
}

/** An ipcRenderer whose invoke goes through FakeIpcMain as our window's main frame. */
function rendererFor(ipcMain: FakeIpcMain, pushes: Map<string, (e: unknown, p: unknown) => void>) {
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => ipcMain.invoke(ourFrame, channel, ...args),
    on: (channel, listener) => pushes.set(channel, listener),
  };
  return ipc;
}

describe('IPC gate in the main process', () => {
  it('registers one handler per MonitorApi method, and removes them all', () => {
    const { ipcMain, unregister } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(INVOKE_METHODS.map(invokeChannel).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it("answers our window with the core's result", async () => {
    const { ipcMain, monitor } = setup();
    const reply = await ipcMain.invoke(ourFrame, invokeChannel('setPaused'), true);
    expect(reply).toMatchObject({ ok: true, value: { paused: true } });
    expect(monitor.calls).toEqual([{ method: 'setPaused', args: [true] }]);
  });

  it.each([
    [
      'another window',
      { sender: new FakeWebContents(), senderFrame: { url: 'app://opspulse/index.html' } },
    ],
    [
      'a foreign origin in our window',
      { sender: OURS, senderFrame: { url: 'https://evil.example/' } },
    ],
    ['a file:// page in our window', { sender: OURS, senderFrame: { url: 'file:///etc/passwd' } }],
    ['a look-alike host', { sender: OURS, senderFrame: { url: 'app://opspulse.evil/index.html' } }],
    ['a destroyed frame', { sender: OURS, senderFrame: null }],
  ])('refuses %s before reaching the core', async (_what, sender) => {
    const { ipcMain, monitor, refused } = setup();
    const reply = await ipcMain.invoke(sender, invokeChannel('setPaused'), true);
    expect(reply).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/refused/) },
    });
    expect(monitor.calls).toEqual([]);
    expect(refused).toHaveLength(1);
  });

  it.each([
    ['setPaused', ['yes']],
    ['setPaused', []],
    ['setPaused', [true, 'extra']],
    ['mute', [-5]],
    ['exportReport', [{ from: 0, to: 1, format: 'pdf' }]],
    ['exportReport', [{ from: 0, to: 1, format: 'md', path: '/etc/passwd' }]],
    ['query', [{ from: 0, to: 1, series: 'sys.cpu', maxPoints: 100 }]],
    ['deleteTarget', [{ id: 'api' }]],
    ['saveTarget', ['not an object']],
    ['saveRule', [['a', 'list']]],
    ['deleteRule', [42]],
    ['setRuleEnabled', ['slow-web', 'off']],
  ] as const)('refuses %s with a bad payload %j, naming what is wrong', async (method, args) => {
    const { ipcMain, monitor } = setup();
    const reply = (await ipcMain.invoke(ourFrame, invokeChannel(method), ...args)) as {
      ok: boolean;
      error: { message: string };
    };
    expect(reply.ok).toBe(false);
    expect(reply.error.message).toMatch(new RegExp(`^${method}: bad payload \\(args`));
    expect(monitor.calls).toEqual([]);
  });

  it('carries per-field errors from the core back as data', async () => {
    const { ipcMain } = setup();
    const reply = await ipcMain.invoke(ourFrame, invokeChannel('deleteTarget'), 'nope');
    expect(reply).toEqual({
      ok: false,
      error: {
        message: 'id: no target has id "nope"',
        fields: [{ path: 'id', message: 'no target has id "nope"' }],
      },
    });
  });
});

describe('preload bridge', () => {
  it('exposes exactly MonitorApi: every method, functions only', () => {
    const api = createMonitorBridge({
      invoke: async () => ({ ok: true, value: null }),
      on: () => undefined,
    });
    const expected: (keyof MonitorApi)[] = [...INVOKE_METHODS, 'onSample', 'onHealth'];
    expect(Object.keys(api).sort()).toEqual([...expected].sort());
    for (const key of expected) expect(typeof api[key]).toBe('function');
  });

  it('calls through the gate and resolves with the value', async () => {
    const { ipcMain, monitor } = setup();
    const api = createMonitorBridge(rendererFor(ipcMain, new Map()));
    const h = await api.mute(5_000);
    expect(h.mutedUntil).toBe(5_000);
    expect(monitor.calls).toEqual([{ method: 'mute', args: [5_000] }]);
    const file = await api.exportReport({ from: 0, to: 3_600_000, format: 'json' });
    expect(file.filename).toBe('opspulse-report-1h.json');
  });

  it('rejects with FieldError[] for a refused change and with an Error otherwise', async () => {
    const { ipcMain } = setup();
    const api = createMonitorBridge(rendererFor(ipcMain, new Map()));
    await expect(api.deleteTarget('nope')).rejects.toEqual([
      { path: 'id', message: 'no target has id "nope"' },
    ]);
    await expect(api.analyze({ from: 0, to: 1 })).rejects.toThrow(
      'analyze is not scripted in this test',
    );
    // A payload the schema refuses never reaches the core, and says why.
    await expect(api.query({ from: -1, to: 1, series: [], maxPoints: 10 })).rejects.toThrow(
      /query: bad payload \(args\[0\]\[from\]/,
    );
  });

  it('hands pushes to subscribers as payloads only, and unsubscribes', () => {
    const pushes = new Map<string, (e: unknown, p: unknown) => void>();
    const api = createMonitorBridge(rendererFor(new FakeIpcMain(), pushes));
    const got: unknown[][] = [];
    const off = api.onHealth((...args) => got.push(args));
    api.onHealth(() => {
      throw new Error('a broken chart');
    });
    const h = { overall: 'ok' } as HealthSnapshot;
    const emit = (p: unknown) =>
      pushes.get(PUSH_CHANNELS.health)?.({ sender: 'the raw ipcRenderer' }, p);
    const origError = console.error;
    console.error = () => undefined;
    try {
      emit(h);
      off();
      emit(h);
    } finally {
      console.error = origError;
    }
    expect(got).toEqual([[h]]);
  });
});
