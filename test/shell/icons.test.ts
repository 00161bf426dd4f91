import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEALTH_STATES } from '../../shared/health';
import {
  APP_ICON,
  colourIconName,
  STATE_COLOURS,
  templateIconName,
  trayIconPath,
  TRAY_SIZES,
} from '../../electron/main/shell/icons';
import { ICONS_DIR, renderIcons } from '../../scripts/make-icons';
import { decodePng, pixelAt } from './png';

const read = (name: string) => decodePng(fs.readFileSync(path.join(ICONS_DIR, name)));
const at2x = (name: string) => name.replace(/\.png$/, '@2x.png');

describe('tray icons in resources/icons', () => {
  it('are exactly what scripts/make-icons.ts draws', () => {
    for (const [name, png] of renderIcons())
      expect(fs.readFileSync(path.join(ICONS_DIR, name)).equals(png), name).toBe(true);
  });

  it.each(HEALTH_STATES)('%s: the state colour at 16 and 32 px and @2x', (state) => {
    for (const size of TRAY_SIZES) {
      for (const [name, px] of [
        [colourIconName(state, size), size],
        [at2x(colourIconName(state, size)), size * 2],
      ] as const) {
        const png = read(name);
        expect([png.width, png.height], name).toEqual([px, px]);
        // Paused has a pause glyph cut through its middle: sample the disc left of it.
        const x = state === 'paused' ? Math.round(px * 0.2) : px / 2;
        expect(pixelAt(png, x, px / 2), name).toEqual([...STATE_COLOURS[state], 255]);
        expect(pixelAt(png, 0, 0)[3], `${name} corner is transparent`).toBe(0);
      }
    }
  });

  it('uses green, amber, red and grey, and grey for both unknown and paused', () => {
    const [r, g, b] = STATE_COLOURS.ok;
    expect(g).toBeGreaterThan(r + 60);
    expect(g).toBeGreaterThan(b + 60);
    const [ar, ag, ab] = STATE_COLOURS.warn;
    expect(ar).toBeGreaterThan(ag);
    expect(ag).toBeGreaterThan(ab + 100);
    const [cr, cg, cb] = STATE_COLOURS.crit;
    expect(cr).toBeGreaterThan(cg + 100);
    expect(cr).toBeGreaterThan(cb + 100);
    for (const grey of [STATE_COLOURS.unknown, STATE_COLOURS.paused])
      expect(Math.max(...grey) - Math.min(...grey)).toBeLessThan(20);
  });

  it('has a pause glyph on the paused icon only', () => {
    // The right bar of the glyph is cut out of the disc, 3–6 px right of the centre.
    const onBar = (name: string) => pixelAt(read(name), 20, 16)[3];
    expect(onBar(colourIconName('paused', 32))).toBe(0);
    expect(onBar(colourIconName('unknown', 32))).toBe(255);
  });

  it.each(HEALTH_STATES)('%s: a black-and-alpha macOS template at 16 and 32 px', (state) => {
    for (const [name, px] of [
      [templateIconName(state), 16],
      [at2x(templateIconName(state)), 32],
    ] as const) {
      expect(name).toMatch(/Template(@2x)?\.png$/);
      const png = read(name);
      expect(png.width).toBe(px);
      for (let i = 0; i < png.pixels.length; i += 4)
        expect([png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]]).toEqual([0, 0, 0]);
    }
  });

  it('has a 512 px app icon for the installers', () => {
    const png = read(APP_ICON);
    expect([png.width, png.height]).toEqual([512, 512]);
    expect(pixelAt(png, 256, 256)).toEqual([...STATE_COLOURS.ok, 255]);
  });

  it('picks the file per platform', () => {
    expect(trayIconPath('/i', 'crit', 'linux')).toBe(path.join('/i', 'tray-crit-32.png'));
    expect(trayIconPath('/i', 'crit', 'win32')).toBe(path.join('/i', 'tray-crit-16.png'));
    expect(trayIconPath('/i', 'crit', 'darwin')).toBe(path.join('/i', 'tray-critTemplate.png'));
  });
});
