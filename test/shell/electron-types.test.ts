// eslint-disable-next-line no-restricted-imports -- type-only: checks the real typings, loads nothing
import type * as Electron from 'electron';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ElectronLike,
  MenuItemSpec,
  NotificationOptions,
  WindowOptionsSpec,
} from '../../electron/main/shell/electron-api';

// Type-level only: `tsc -p tsconfig.node.json` fails if the real Electron typings stop
// satisfying the interface the shell is written against. Nothing here loads electron.
describe('the injected electron interface', () => {
  it('is satisfied by the real electron module typings', () => {
    expectTypeOf<typeof Electron>().toExtend<ElectronLike>();
  });

  it('builds option objects that the real APIs accept', () => {
    expectTypeOf<MenuItemSpec>().toExtend<Electron.MenuItemConstructorOptions>();
    expectTypeOf<WindowOptionsSpec>().toExtend<Electron.BrowserWindowConstructorOptions>();
    expectTypeOf<NotificationOptions>().toExtend<Electron.NotificationConstructorOptions>();
  });
});
