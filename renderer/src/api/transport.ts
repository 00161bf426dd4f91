import type { MonitorApi } from '../../../shared/api';
import { HttpMonitorApi } from './http-api';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    opspulse?: MonitorApi;
  }
}

const TOKEN_KEY = 'opspulse.token';

/**
 * `opspulse serve` prints a link with `#token=...`. The fragment never reaches the server;
 * it is moved to session storage and removed from the address bar at once.
 */
function takeToken(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    // Other fragment parts (`#target=<id>`) stay for the router.
    const rest = location.hash
      .slice(1)
      .split('&')
      .filter((part) => !part.startsWith('token='))
      .join('&');
    history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The one place that knows about transports: IPC in Electron, HTTP + SSE in a browser. */
export function pickApi(): MonitorApi {
  if (window.opspulse) return window.opspulse;
  return new HttpMonitorApi(location.origin, takeToken());
}
