import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { serveStatic } from '@hono/node-server/serve-static';
import type { ServerOptions } from './options';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { guard, hostGuard } from './auth';
import { HostPolicy } from './hosts';
import { mountApi } from './routes';
import { liveStream, type StreamGate } from './sse';

/** A target with many conditions and metrics is a few KB; 64 KB leaves room and no more. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The HTTP surface of `opspulse serve`. Hono gives routing, body limits and static files
 * with correct MIME types and path-traversal handling in a few KB, on the Node server.
 */
export function createApp(opts: ServerOptions, gate: StreamGate): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  });

  app.use('*', hostGuard(new HostPolicy(opts.host, opts.allowedHosts)));
  app.use('/api/*', guard(opts.token));
  app.use('/metrics', guard(opts.token));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: `request body over ${MAX_BODY_BYTES} bytes` }, 413),
    }),
  );
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  app.get('/api/stream', (c) =>
    liveStream(c, opts.api, gate, opts.heartbeatSec, opts.maxQueuedEvents),
  );
  mountApi(app, opts.api);
  app.all('/api/*', (c) => c.json({ error: `no API route ${c.req.method} ${c.req.path}` }, 404));

  const metrics = opts.metrics;
  if (metrics)
    app.get('/metrics', async (c) =>
      c.body(await metrics(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }),
    );

  const root = path.resolve(opts.staticDir);
  app.use('/*', serveStatic({ root }));
  // Client-side views live in the hash, so any other path is a typo: send the app anyway.
  app.get('*', (c) => {
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index))
      return c.text(`the dashboard is not built (no ${index}); run: npx electron-vite build`, 503);
    return c.html(fs.readFileSync(index, 'utf8'));
  });
  return app;
}
