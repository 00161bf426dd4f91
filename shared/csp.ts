/**
 * The dashboard's one Content-Security-Policy: sent by `opspulse serve` and by the Electron
 * app:// protocol; index.html's meta tag carries the same text (for scanners reading the
 * source), and the build fails when it differs (renderer.config.ts).
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
