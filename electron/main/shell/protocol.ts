import fs from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import type { ElectronLike, SchemePrivileges } from './electron-api';

/** The renderer is served from app://opspulse/, never file:// (which grants too much). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'opspulse';
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

export { CONTENT_SECURITY_POLICY };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export const APP_SCHEME_PRIVILEGES: SchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

/** Must run before the app is ready. */
export function registerAppScheme(electron: Pick<ElectronLike, 'protocol'>): void {
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

export function handleAppScheme(electron: Pick<ElectronLike, 'protocol'>, rootDir: string): void {
  electron.protocol.handle(APP_SCHEME, (req) => serveAppRequest(rootDir, req));
}

/** True for a URL of our own renderer, and nothing else. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Where the renderer comes from: app:// always, plus the electron-vite dev server while
 * developing (`npm run dev`; never in a packaged app, see index.ts).
 */
export interface RendererOrigin {
  entry: string;
  isOurs(url: string): boolean;
}

export function rendererOrigin(devServerUrl?: string): RendererOrigin {
  if (!devServerUrl) return { entry: APP_ENTRY, isOurs: isAppUrl };
  const dev = new URL(devServerUrl);
  return {
    entry: dev.href,
    isOurs: (url) => {
      if (isAppUrl(url)) return true;
      try {
        return new URL(url).origin === dev.origin;
      } catch {
        return false;
      }
    },
  };
}

function respond(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    },
  });
}

/** Serves a file of the built renderer with a strict CSP; nothing outside rootDir. */
export async function serveAppRequest(rootDir: string, req: Request): Promise<Response> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return respond(405, 'method not allowed');
  if (!isAppUrl(req.url)) return respond(404, 'not found');
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(req.url).pathname);
  } catch {
    return respond(400, 'bad path');
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${rel}`);
  if (rel.includes('\0') || (file !== root && !file.startsWith(root + path.sep)))
    return respond(404, 'not found');
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    return respond(404, 'not found');
  }
  return new Response(req.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  });
}
