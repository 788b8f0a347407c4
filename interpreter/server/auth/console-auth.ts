/**
 * The contract between the console server and its authentication: one ConsoleAuth per console
 * process, made by createConsoleAuth from the `console:` config section. The server calls
 * `register` once, `authenticate` on every request (null: nobody signed in → 401 for the API,
 * a redirect to `loginUrl` for a page), checks `rolesOf` against the route's role, and
 * `verifyCsrf` on every mutating request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Environment } from '../../config/state-dir.ts';
import type { Role } from '../console-api.ts';
import type { CsrfCheck } from './csrf.ts';
import type { Person } from './person.ts';

export type AuthMode = 'none' | 'proxy' | 'oidc';

export interface ConsoleAuth {
  readonly mode: AuthMode;
  /**
   * Adds what the mode needs to the app: with OIDC the routes `GET /auth/login?return_to=/path`,
   * `GET /auth/callback`, `POST /auth/logout`; `@fastify/cookie` when the app has not registered it.
   * Call once, before `app.ready()`.
   */
  register(app: FastifyInstance): Promise<void>;
  /** The signed-in person, or null (no or an expired session, an untrusted proxy address, no identity header). */
  authenticate(request: FastifyRequest): Promise<Person | null>;
  /** The person's roles (implied ones included), in the order viewer, operator, editor. */
  rolesOf(person: Person): Role[];
  /** The CSRF token of the request's session or person ('' when nobody is signed in): `GET /api/me` hands it out. */
  csrfToken(request: FastifyRequest): string;
  /** Whether a request may mutate: safe methods always; others need `x-csrf-token` and a same-origin browser. */
  verifyCsrf(request: FastifyRequest): boolean;
  /** verifyCsrf with the reason (`CSRF_MISSING`, `CSRF_MISMATCH`, `CROSS_ORIGIN`) for the 403 body. */
  checkCsrf(request: FastifyRequest): CsrfCheck;
  /**
   * Where to send a browser that is not signed in, coming back to `returnTo` (a path of the console) after;
   * undefined when the console has no sign-in page of its own (proxy: the proxy signs people in).
   */
  loginUrl(returnTo: string): string | undefined;
  /** With OIDC: `POST` here signs out (`x-csrf-token` header, or a `csrf_token` form field). */
  readonly logoutUrl?: string;
}

export interface ConsoleAuthOptions {
  /** The URL people reach the console at, without a trailing slash: `console.public_url`, else `http://HOST:PORT`. */
  readonly baseUrl: string;
  /** Where secrets are read from (default process.env). */
  readonly env?: Environment;
  /** Told about a random session secret and an unreachable provider (default: a line on stderr). */
  readonly warn?: (message: string) => void;
  /** The clock, ms (tests). */
  readonly now?: () => number;
}
