/**
 * Which peers may vouch for a person's identity in proxy mode: `trusted_proxies` (IPs and CIDRs,
 * IPv4 and IPv6), loopback when unset. The peer is the TCP connection's address, never a
 * forwarded-for header (which any client can write).
 */
import { BlockList, isIP } from 'node:net';
import { AuthError } from './auth-error.ts';

export const DEFAULT_TRUSTED_PROXIES: readonly string[] = ['127.0.0.0/8', '::1'];

/** An address list that answers `has(address)`. */
export interface AddressSet {
  has(address: string | undefined): boolean;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so IPv4 entries match IPv4 peers on a dual-stack socket. */
export function normalizeAddress(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  return mapped ? mapped[1] : bare;
}

/** Parses `trusted_proxies`; a bad entry is CONSOLE_AUTH_CONFIG naming it. */
export function parseTrustedProxies(entries: readonly string[] = DEFAULT_TRUSTED_PROXIES): AddressSet {
  const list = new BlockList();
  for (const entry of entries) {
    const [rawAddress, rawPrefix, extra] = entry.trim().split('/');
    const address = normalizeAddress(rawAddress ?? '');
    const family = isIP(address);
    const prefix = rawPrefix === undefined ? undefined : Number(rawPrefix);
    const maxPrefix = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || rawPrefix === ''))) {
      throw new AuthError('CONSOLE_AUTH_CONFIG', `console.auth.proxy.trusted_proxies: "${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8, ::1)`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return {
    has(peer) {
      if (!peer) return false;
      const address = normalizeAddress(peer);
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}
