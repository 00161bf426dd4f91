import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from '../../electron/main/shell/shell';
import { ROOT } from './built-app';

const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');

/** The list items under a top-level `key:` (then `sub:`) block of electron-builder.yml. */
function list(section: string, key: string): string[] {
  const block = new RegExp(`^${section}:\\n((?:[ ]+.*\\n|\\s*\\n)*)`, 'm').exec(yml)?.[1] ?? '';
  const sub =
    new RegExp(`^[ ]+${key}:\\n((?:[ ]{4,}- .*\\n|[ ]+#.*\\n)*)`, 'm').exec(block)?.[1] ?? '';
  return [...sub.matchAll(/^[ ]+- (.*)$/gm)].map((m) => m[1].trim());
}

describe('electron-builder.yml', () => {
  it('uses the AppUserModelId the shell sets, so Windows shows its notifications', () => {
    expect(/^appId: (.+)$/m.exec(yml)?.[1]).toBe(APP_USER_MODEL_ID);
  });

  it('builds AppImage and deb on Linux, nsis on Windows, dmg on macOS', () => {
    expect(list('linux', 'target')).toEqual(['AppImage', 'deb']);
    expect(list('win', 'target')).toEqual(['nsis']);
    expect(list('mac', 'target')).toEqual(['dmg']);
  });

  it('makes the deb depend on libnotify4 and AppIndicator', () => {
    const depends = list('deb', 'depends');
    expect(depends).toContain('libnotify4');
    expect(depends.some((d) => d.split(' | ').includes('libappindicator3-1'))).toBe(true);
  });

  it('unpacks the tray icons from the asar', () => {
    expect(/^asarUnpack:\n\s+- resources\/icons\/\*\*$/m.test(yml)).toBe(true);
  });
});
