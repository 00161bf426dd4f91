/**
 * Days until a target's TLS certificate expires, from the `certDays` its last probe saw
 * (the certificate's notAfter is fixed, so this is exact, not fitted): what is left at
 * `now` is what the probe saw minus the time since.
 */
export type CertExpiry =
  | { readonly kind: 'expires'; readonly days: number; readonly at: number }
  | { readonly kind: 'not-enough-data'; readonly reason: string };

const DAY = 86_400_000;

export function certExpiry(
  last: { readonly t: number; readonly certDays: number } | undefined,
  now: number,
): CertExpiry {
  if (!last || !Number.isFinite(last.certDays)) {
    return { kind: 'not-enough-data', reason: 'no TLS certificate seen yet' };
  }
  const at = last.t + last.certDays * DAY;
  return { kind: 'expires', days: (at - now) / DAY, at };
}
