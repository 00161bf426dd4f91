import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  handleAppScheme,
  isAppUrl,
  registerAppScheme,
  serveAppRequest,
} from '../../electron/main/shell/protocol';
import { createFakeElectron } from './fake-electron';

describe('app:// protocol', () => {
  let base: string;
  let root: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-proto-'));
    root = path.join(base, 'renderer');
    await fs.mkdir(path.join(root, 'assets'), { recursive: true });
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>OpsPulse</title>');
    await fs.writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    await fs.writeFile(path.join(base, 'secret.txt'), 'do not serve');
  });
  afterAll(() => fs.rm(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => serveAppRequest(root, new Request(url, { method }));

  it('serves the renderer with a strict CSP and the right types', async () => {
    const html = await get('app://opspulse/index.html');
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<title>OpsPulse</title>');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await get('app://opspulse/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://opspulse/')).status).toBe(200);
  });

  it('forbids inline script, eval and every origin but its own', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });

  it.each([
    'app://opspulse/../secret.txt',
    'app://opspulse/%2e%2e/secret.txt',
    'app://opspulse/assets/..%2f..%2fsecret.txt',
    'app://opspulse/%00index.html',
    'app://other/index.html',
    'app://opspulse/missing.js',
  ])('answers 404 for %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('do not serve');
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await get('app://opspulse/index.html', 'POST')).status).toBe(405);
    const head = await get('app://opspulse/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('registers a secure standard scheme before ready and a handler after', async () => {
    const electron = createFakeElectron(base);
    registerAppScheme(electron);
    expect(electron.schemes).toEqual([APP_SCHEME_PRIVILEGES]);
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    handleAppScheme(electron, root);
    const res = await electron.protocolHandlers.get('app')?.(
      new Request('app://opspulse/index.html'),
    );
    expect(res?.status).toBe(200);
  });

  it('recognises only its own origin', () => {
    expect(isAppUrl('app://opspulse/index.html#target=x')).toBe(true);
    expect(isAppUrl('app://opspulse.evil/')).toBe(false);
    expect(isAppUrl('https://opspulse/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
