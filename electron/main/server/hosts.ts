import { isIPv6 } from 'node:net';
import os from 'node:os';
import { isLoopbackHost } from './options';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

/** The name part of a Host header, lower-case, IPv6 in brackets: `[::1]:7800` -> `[::1]`. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

function bracketed(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}

/** The names the Host header may carry: what the user can type to reach this server. */
export class HostPolicy {
  private readonly names: Set<string>;

  /**
   * @param bound the address the server listens on
   * @param allowed extra names (a DNS name or a reverse proxy's host) the user vouches for
   */
  constructor(bound: string, allowed: readonly string[] = []) {
    const names = new Set<string>();
    const add = (name: string): void => {
      names.add(hostnameOf(bracketed(name)));
    };
    if (!isLoopbackHost(bound)) add(bound);
    // Listening on every interface: each of the machine's own addresses and its name reach it.
    if (WILDCARD_HOSTS.has(bound)) {
      add(os.hostname());
      for (const list of Object.values(os.networkInterfaces()))
        for (const a of list ?? []) add(a.address.replace(/%.*$/, ''));
    }
    for (const name of allowed) add(name);
    this.names = names;
  }

  allows(hostHeader: string): boolean {
    const name = hostnameOf(hostHeader);
    if (name === '') return false;
    return isLoopbackHost(name) || this.names.has(name);
  }

  hostname(hostHeader: string): string {
    return hostnameOf(hostHeader);
  }
}
