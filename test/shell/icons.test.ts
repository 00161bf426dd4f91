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

  /** A point in icon units (centre 0, edges ±0.5) of a decoded icon: its alpha. */
  const alphaAt = (png: ReturnType<typeof read>, x: number, y: number) =>
    pixelAt(png, Math.floor((x + 0.5) * png.width), Math.floor((y + 0.5) * png.height))[3];

  it.each(HEALTH_STATES)('%s: its shape in the state colour at 16 and 32 px and @2x', (state) => {
    for (const size of TRAY_SIZES) {
      for (const [name, px] of [
        [colourIconName(state, size), size],
        [at2x(colourIconName(state, size)), size * 2],
      ] as const) {
        const png = read(name);
        expect([png.width, png.height], name).toEqual([px, px]);
        // Every opaque pixel is the state colour; the shape is in the alpha.
        let opaque = 0;
        for (let i = 0; i < png.pixels.length; i += 4) {
          if (png.pixels[i + 3] !== 255) continue;
          opaque++;
          expect([...png.pixels.subarray(i, i + 3)], name).toEqual([...STATE_COLOURS[state]]);
        }
        expect(opaque, name).toBeGreaterThan(px * px * 0.1);
        expect(pixelAt(png, 0, 0)[3], `${name} corner is transparent`).toBe(0);
      }
    }
  });

  it('tells the states apart by shape: disc, triangle, cross, ring, bars', () => {
    const png = (s: (typeof HEALTH_STATES)[number]) => read(at2x(colourIconName(s, 32)));
    // OK: a filled disc, solid in the middle and near the top.
    expect(alphaAt(png('ok'), 0, 0)).toBe(255);
    expect(alphaAt(png('ok'), 0, -0.35)).toBe(255);
    // No data: a ring, empty in the middle.
    expect(alphaAt(png('unknown'), 0, 0)).toBe(0);
    expect(alphaAt(png('unknown'), 0, -0.35)).toBe(255);
    // Degraded: a triangle, point up: narrow at the top, wide at the base.
    expect(alphaAt(png('warn'), -0.3, -0.3)).toBe(0);
    expect(alphaAt(png('warn'), -0.3, 0.33)).toBe(255);
    // Down: a cross, solid on the diagonals, empty at the top middle.
    expect(alphaAt(png('crit'), 0.25, 0.25)).toBe(255);
    expect(alphaAt(png('crit'), 0, -0.3)).toBe(0);
    // Paused: two bars with a gap between them.
    expect(alphaAt(png('paused'), 0, 0)).toBe(0);
    expect(alphaAt(png('paused'), -0.17, 0)).toBe(255);
    expect(alphaAt(png('paused'), 0.17, 0)).toBe(255);
  });

  it('differs pairwise in shape, so greyscale and macOS templates still tell states apart', () => {
    const files = [(s: (typeof HEALTH_STATES)[number]) => colourIconName(s, 16), templateIconName];
    for (const file of files)
      for (const a of HEALTH_STATES)
        for (const b of HEALTH_STATES) {
          if (a >= b) continue;
          const pa = read(file(a));
          const pb = read(file(b));
          let differ = 0;
          for (let i = 3; i < pa.pixels.length; i += 4)
            if (Math.abs(pa.pixels[i] - pb.pixels[i]) > 128) differ++;
          expect(differ, `${file(a)} vs ${file(b)}`).toBeGreaterThan(pa.width * pa.height * 0.08);
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
