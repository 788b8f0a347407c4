/**
 * Auth mode `none`: no sign-in; everyone is the one anonymous person with every role. Only for a
 * console bound to loopback (createConsoleAuth refuses nothing itself; the server calls
 * assertBindAllowed). CSRF protection still applies: a page of another site must not act
 * through a browser on the same machine.
 */
import type { Role } from '../console-api.ts';
import type { ConsoleAuth } from './console-auth.ts';
import { ensureCookiePlugin } from './cookies.ts';
import { csrfMethods } from './csrf.ts';
import { ANONYMOUS } from './person.ts';
import { ALL_ROLES } from './roles.ts';

export function createNoneAuth(secret: Buffer, origin: string): ConsoleAuth {
  return {
    mode: 'none',
    register: ensureCookiePlugin,
    authenticate: () => Promise.resolve(ANONYMOUS),
    rolesOf: (): Role[] => [...ALL_ROLES],
    ...csrfMethods(secret, origin, () => ANONYMOUS.id),
    loginUrl: () => undefined,
  };
}
