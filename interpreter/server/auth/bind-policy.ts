/**
 * Where a console may listen without sign-in: only on loopback. `runbook console --host 0.0.0.0`
 * with auth mode `none` is refused (`CONSOLE_AUTH_REQUIRED`), so an unauthenticated console is
 * never reachable from another machine by accident.
 */
import { isIP } from 'node:net';
import { AuthError } from './auth-error.ts';

/** Whether `host` (a bind address or host name) is loopback: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const address = bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4 ? bare.slice(7) : bare;
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return address === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(address);
  return false;
}

/** Whether a console bound to `host` needs auth (mode proxy or oidc). */
export function authRequiredForHost(host: string): boolean {
  return !isLoopbackHost(host);
}

/** Throws CONSOLE_AUTH_REQUIRED when a console with auth `mode` may not bind to `host`. */
export function assertBindAllowed(mode: 'none' | 'proxy' | 'oidc', host: string): void {
  if (mode === 'none' && authRequiredForHost(host)) {
    throw new AuthError(
      'CONSOLE_AUTH_REQUIRED',
      `the console would listen on ${host} without sign-in: bind to 127.0.0.1, or set console.auth.mode to "proxy" or "oidc" in runbook.config.yaml`,
    );
  }
}
