/**
 * What the console server needs from the auth layer (./auth/, whose ConsoleAuth fits it): who is
 * asking, which roles they have, the CSRF token. `localOnlyAuth()` is mode `none`: one anonymous person with every role,
 * for a console bound to loopback only (the CLI refuses anything else without auth configured).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from './console-api.ts';

export interface ConsolePerson {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly groups: readonly string[];
}

export type AuthMode = 'none' | 'proxy' | 'oidc';

export interface ConsoleAuthPort {
  readonly mode: AuthMode;
  /** Adds the auth layer's own routes (`/auth/*`: sign-in, callback, sign-out) and hooks. */
  register?(app: FastifyInstance): Promise<void> | void;
  /** The signed-in person, or null (401 on the API). */
  authenticate(request: FastifyRequest): Promise<ConsolePerson | null> | ConsolePerson | null;
  rolesOf(person: ConsolePerson): readonly Role[];
  /** The token a client sends back in `x-csrf-token` (may set a cookie on `reply`). */
  csrfToken(request: FastifyRequest, reply: FastifyReply): Promise<string> | string;
  /** True when the request carries the right CSRF token. */
  verifyCsrf(request: FastifyRequest): Promise<boolean> | boolean;
  /** verifyCsrf with the reason, for the 403's message. */
  checkCsrf?(request: FastifyRequest): { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };
  /** Where a browser that is not signed in goes to sign in, back to `returnTo` after (undefined: no sign-in page of the console's own). */
  loginUrl?(returnTo: string): string | undefined;
  /** Where the sign-out button posts (OIDC). */
  readonly logoutUrl?: string;
}

export const ANONYMOUS: ConsolePerson = { id: 'anonymous', name: 'Anonymous', email: null, groups: [] };
const ALL_ROLES: readonly Role[] = ['viewer', 'operator', 'editor'];

/** Compares a sent token with the expected one in constant time. */
export function sameToken(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string' || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

/**
 * Mode `none`: everyone is `anonymous` with every role. The CSRF token is one random value per
 * console process: a page of another origin cannot read it (no CORS), so it cannot post.
 */
export function localOnlyAuth(): ConsoleAuthPort {
  const token = randomBytes(24).toString('base64url');
  return {
    mode: 'none',
    authenticate: () => ANONYMOUS,
    rolesOf: () => ALL_ROLES,
    csrfToken: () => token,
    verifyCsrf: (request) => sameToken(request.headers['x-csrf-token'], token),
  };
}
