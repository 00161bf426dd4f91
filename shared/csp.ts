/**
 * The dashboard's one Content-Security-Policy: sent by `opspulse serve`, by the Electron
 * app:// protocol, and written into index.html's meta tag at build time (renderer.config.ts).
 * No inline script or style, no eval, nothing from another origin.
 */
const DIRECTIVES: readonly [string, string][] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; ');

/** Browsers ignore frame-ancestors in a meta tag (and warn); the headers carry it. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter(([k]) => k !== 'frame-ancestors')
  .map(([k, v]) => `${k} ${v}`)
  .join('; ');

/** The placeholder index.html carries in its CSP meta tag, filled in by the build. */
export const CSP_PLACEHOLDER = '__OPSPULSE_CSP__';
