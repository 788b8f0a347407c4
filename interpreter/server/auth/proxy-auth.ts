/**
 * Auth mode `proxy`: an authenticating proxy in front (oauth2-proxy, an ingress with auth) signs
 * people in and passes who they are in request headers. The headers are believed only from
 * `trusted_proxies` (loopback by default): from any other peer the request is not signed in.
 * Name, email and groups headers are read only when configured, because the proxy must set or
 * strip each of them (a header the proxy passes through untouched is the client's to write).
 */
import type { FastifyRequest } from 'fastify';
import type { ConsoleProxyAuthConfig, ConsoleRolesConfig } from '../../config/config-format.ts';
import type { ConsoleAuth } from './console-auth.ts';
import { ensureCookiePlugin } from './cookies.ts';
import { csrfMethods } from './csrf.ts';
import { makePerson, type Person } from './person.ts';
import { rolesFor } from './roles.ts';
import { parseTrustedProxies } from './trusted-proxies.ts';

export const DEFAULT_USER_HEADER = 'x-forwarded-user';

function header(request: FastifyRequest, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const value = request.headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value.join(',') : value;
  return text?.trim() || undefined;
}

/** The person the proxy's headers name, or null (untrusted peer, no user header). */
export function personFromProxyHeaders(request: FastifyRequest, config: ConsoleProxyAuthConfig, trusted: { has(address: string | undefined): boolean }): Person | null {
  if (!trusted.has(request.socket?.remoteAddress)) return null;
  const id = header(request, config.user_header ?? DEFAULT_USER_HEADER);
  if (!id) return null;
  const groups = header(request, config.groups_header)?.split(',') ?? [];
  return makePerson(id, header(request, config.name_header), header(request, config.email_header), groups);
}

export function createProxyAuth(config: ConsoleProxyAuthConfig, roles: ConsoleRolesConfig | undefined, secret: Buffer, origin: string): ConsoleAuth {
  const trusted = parseTrustedProxies(config.trusted_proxies);
  const personOf = (request: FastifyRequest): Person | null => personFromProxyHeaders(request, config, trusted);
  return {
    mode: 'proxy',
    register: ensureCookiePlugin,
    authenticate: (request) => Promise.resolve(personOf(request)),
    rolesOf: (person) => rolesFor(person, roles),
    ...csrfMethods(secret, origin, (request) => {
      const person = personOf(request);
      return person ? `proxy:${person.id}` : null;
    }),
    loginUrl: () => undefined,
  };
}
