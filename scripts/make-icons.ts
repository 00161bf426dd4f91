import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { HEALTH_STATES, type HealthState } from '../shared/health';
import {
  APP_ICON,
  colourIconName,
  STATE_COLOURS,
  templateIconName,
  TRAY_SIZES,
} from '../electron/main/shell/icons';

/**
 * Draws the tray and app icons and writes them to resources/icons/. Run with
 * `npx tsx scripts/make-icons.ts`; the output is deterministic, and a test checks the
 * files in the repo are exactly what this draws.
 */

type Rgb = readonly [number, number, number];

const SUPERSAMPLE = 4;

/**
 * Whether a point (in icon units: centre 0, edges ±0.5) is inside the state's shape. Each
 * state has its own shape so it reads in greyscale, to colour-blind eyes and as a macOS
 * template (black + alpha): OK a filled disc, degraded a triangle, down a cross, no data
 * a ring, paused two bars.
 */
export function insideShape(state: HealthState, x: number, y: number): boolean {
  const r = Math.hypot(x, y);
  switch (state) {
    case 'ok':
      return r <= 0.42;
    case 'unknown':
      return r <= 0.42 && r >= 0.25;
    case 'warn': {
      // Apex up, base at the bottom: |x| shrinks linearly towards the apex.
      const top = -0.42;
      const bottom = 0.38;
      if (y < top || y > bottom) return false;
      return Math.abs(x) <= ((y - top) / (bottom - top)) * 0.46;
    }
    case 'crit': {
      const half = 0.1;
      const reach = 0.4;
      if (Math.abs(x) > reach || Math.abs(y) > reach) return false;
      return Math.abs(x - y) / Math.SQRT2 <= half || Math.abs(x + y) / Math.SQRT2 <= half;
    }
    case 'paused':
      return Math.abs(y) <= 0.38 && Math.abs(Math.abs(x) - 0.17) <= 0.1;
  }
}

/** RGBA pixels of the state's shape in one colour, anti-aliased. */
function drawState(size: number, colour: Rgb, state: HealthState): Buffer {
  const px = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const fx = (x + (sx + 0.5) / SUPERSAMPLE) / size - 0.5;
          const fy = (y + (sy + 0.5) / SUPERSAMPLE) / size - 0.5;
          if (insideShape(state, fx, fy)) hits++;
        }
      }
      const i = (y * size + x) * 4;
      px[i] = colour[0];
      px[i + 1] = colour[1];
      px[i + 2] = colour[2];
      px[i + 3] = Math.round((255 * hits) / (SUPERSAMPLE * SUPERSAMPLE));
    }
  }
  return px;
}

/** The app icon: a state-green disc on a dark rounded square. */
function drawAppIcon(size: number): Buffer {
  const px = Buffer.alloc(size * size * 4);
  const radius = size * 0.18;
  const dot = drawState(size, STATE_COLOURS.ok, 'ok');
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = Math.max(radius - x, 0, x + 1 - (size - radius));
      const dy = Math.max(radius - y, 0, y + 1 - (size - radius));
      const inside = dx * dx + dy * dy <= radius * radius;
      const i = (y * size + x) * 4;
      const a = dot[i + 3] / 255;
      px[i] = Math.round(0x1f * (1 - a) + dot[i] * a);
      px[i + 1] = Math.round(0x23 * (1 - a) + dot[i + 1] * a);
      px[i + 2] = Math.round(0x2a * (1 - a) + dot[i + 2] * a);
      px[i + 3] = inside ? 255 : 0;
    }
  }
  return px;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG, no filtering: icons are tiny, simplicity beats a few bytes. */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++)
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function at2x(name: string): string {
  return name.replace(/\.png$/, '@2x.png');
}

/** Every icon file, by name. */
export function renderIcons(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const state of HEALTH_STATES) {
    const colour = STATE_COLOURS[state];
    for (const size of TRAY_SIZES) {
      out.set(colourIconName(state, size), encodePng(size, drawState(size, colour, state)));
      out.set(
        at2x(colourIconName(state, size)),
        encodePng(size * 2, drawState(size * 2, colour, state)),
      );
    }
    out.set(templateIconName(state), encodePng(16, drawState(16, [0, 0, 0], state)));
    out.set(at2x(templateIconName(state)), encodePng(32, drawState(32, [0, 0, 0], state)));
  }
  out.set(APP_ICON, encodePng(512, drawAppIcon(512)));
  return out;
}

export const ICONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../resources/icons',
);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  fs.mkdirSync(ICONS_DIR, { recursive: true });
  for (const [name, png] of renderIcons()) fs.writeFileSync(path.join(ICONS_DIR, name), png);
  console.log(`wrote ${renderIcons().size} icons to ${ICONS_DIR}`);
}
