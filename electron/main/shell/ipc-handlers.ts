import type { MonitorApi } from '../../../shared/api';
import { describeIssues, INVOKE_ARGS } from '../../../shared/ipc-schemas';
import {
  INVOKE_METHODS,
  invokeChannel,
  toWireError,
  type InvokeMethod,
  type WireReply,
} from '../../../shared/ipc';
import type { InvokeEventLike, IpcMainLike } from './electron-api';
import { isAppUrl } from './protocol';

/** Who may call: the sender must be our window's web contents, in a frame of our origin. */
export type SenderCheck = (event: InvokeEventLike) => boolean;

export function trustOnly(
  webContentsId: () => number | null,
  isOurs: (url: string) => boolean = isAppUrl,
): SenderCheck {
  return (event) =>
    event.sender.id === webContentsId() &&
    event.senderFrame !== null &&
    isOurs(event.senderFrame.url);
}

/**
 * Registers one handler per MonitorApi method. Every call goes through the same gate: a
 * foreign sender or a payload that does not match the shared schema is refused with a
 * reason and never reaches the core. Returns a function that removes the handlers.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  api: MonitorApi,
  trusted: SenderCheck,
  onRefused: (reason: string) => void = () => undefined,
): () => void {
  for (const method of INVOKE_METHODS) {
    ipcMain.handle(invokeChannel(method), async (event, ...args): Promise<WireReply> => {
      if (!trusted(event)) {
        const reason = `${method}: refused, the sender is not the OpsPulse window (${event.senderFrame?.url ?? 'no frame'})`;
        onRefused(reason);
        return { ok: false, error: { message: reason } };
      }
      const parsed = INVOKE_ARGS[method].safeParse(args);
      if (!parsed.success) {
        const reason = describeIssues(method, parsed.error);
        onRefused(reason);
        return { ok: false, error: { message: reason } };
      }
      try {
        return { ok: true, value: await call(api, method, parsed.data) };
      } catch (err) {
        return { ok: false, error: toWireError(err) };
      }
    });
  }
  return () => {
    for (const method of INVOKE_METHODS) ipcMain.removeHandler(invokeChannel(method));
  };
}

/** The one dynamic dispatch, after the arguments matched that method's schema. */
function call(api: MonitorApi, method: InvokeMethod, args: readonly unknown[]): Promise<unknown> {
  const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(api, [...args]);
}
