import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The container of the store's derived binary files (column sidecars, raw and rollup
 * details): an 8-byte magic naming kind and version, the header's length (u32le), a CRC32
 * (u32le), the header as JSON, then the body. Another version has another magic, so an old
 * file is simply rebuilt.
 */
export const FIXED_BYTES = 16;

/** Writes atomically (temp file + rename): a reader sees the old file or the new one. */
export async function writeDerivedFile(
  file: string,
  magic: Buffer,
  head: Buffer,
  body: Uint8Array,
  crc: number,
): Promise<void> {
  const fixed = Buffer.alloc(FIXED_BYTES);
  magic.copy(fixed);
  fixed.writeUInt32LE(head.length, magic.length);
  fixed.writeUInt32LE(crc, magic.length + 4);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(tmp, Buffer.concat([fixed, head, body]));
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** The CRC the details files carry: of the header and the body together. */
export function headAndBodyCrc(head: Uint8Array, body: Uint8Array): number {
  return crc32(body, crc32(head));
}

/**
 * A whole file of this magic whose CRC covers header and body, as the details files are
 * written; null when it is missing, of another kind or version, cut short or damaged.
 * Synchronous for the reason readSidecar is.
 */
export function readCheckedFile(
  file: string,
  magic: Buffer,
): { header: unknown; body: Buffer } | null {
  let buf: Buffer;
  try {
    buf = fsSync.readFileSync(file);
  } catch {
    return null;
  }
  if (buf.length < FIXED_BYTES || !buf.subarray(0, magic.length).equals(magic)) return null;
  const len = buf.readUInt32LE(magic.length);
  if (FIXED_BYTES + len > buf.length) return null;
  const head = buf.subarray(FIXED_BYTES, FIXED_BYTES + len);
  const body = buf.subarray(FIXED_BYTES + len);
  if (headAndBodyCrc(head, body) !== buf.readUInt32LE(magic.length + 4)) return null;
  try {
    return { header: JSON.parse(head.toString('utf8')), body };
  } catch {
    return null;
  }
}
