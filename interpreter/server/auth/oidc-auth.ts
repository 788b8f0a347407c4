/**
 * Auth mode `oidc`: the console signs people in with an OpenID provider itself (authorization
 * code flow with PKCE, state and nonce, through openid-client), then keeps who they are in a
 * signed, HttpOnly, SameSite=Lax session cookie with an expiry: no session store, so replicas
 * need only share the session secret.
 *
 *   GET  /auth/login?return_to=/path  → 303 to the provider (the sign-in's state in a 10-minute cookie)
 *   GET  /auth/callback               → checks state, nonce and PKCE, sets the session, 303 to return_to
 *   POST /auth/logout                 → clears the session; to the provider's end_session endpoint when it has one
 *
 * A failure answers with an error page naming its code (LOGIN_STATE_MISSING, LOGIN_STATE_MISMATCH,
 * LOGIN_DENIED, LOGIN_CLAIMS_INVALID, OIDC_PROVIDER_UNAVAILABLE) and a link to sign in again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import type { ConsoleOidcAuthConfig, ConsoleRolesConfig } from '../../config/config-format.ts';
import type { Environment } from '../../config/state-dir.ts';
import type { ConsoleAuth } from './console-auth.ts';
import { AuthError, type AuthErrorCode } from './auth-error.ts';
import { sendErrorPage } from './auth-pages.ts';
import { clearCookie, cookieHeader, ensureCookiePlugin, LOGIN_COOKIE, MAX_COOKIE_BYTES, readCookie, SESSION_COOKIE, setCookie, type CookieSettings } from './cookies.ts';
import { checkCsrf, csrfMethods, CSRF_HEADER } from './csrf.ts';
import { personFromClaims, type Claims } from './oidc-claims.ts';
import { createProviderClient, DEFAULT_SCOPES, isProviderUnreachable, providerErrorDetail, providerUnavailable, tokenRefused } from './oidc-provider-client.ts';
import { LOGIN_TTL_SECONDS, newSessionId, safeReturnPath, signLoginState, signSession, verifyLoginState, verifySession, type SessionData } from './oidc-session.ts';
import type { Person } from './person.ts';
import { groupsNamedIn, rolesFor } from './roles.ts';

export interface OidcAuthSettings {
  readonly oidc: ConsoleOidcAuthConfig;
  readonly roles: ConsoleRolesConfig | undefined;
  readonly secret: Buffer;
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly sessionHours: number;
  readonly env: Environment;
  readonly warn: (message: string) => void;
  readonly now: () => number;
}

const LOGIN = '/auth/login';
const CALLBACK = '/auth/callback';
const LOGOUT = '/auth/logout';
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** Sign-in failures an administrator must hear about (the others are a person's: a stale tab, a refusal). */
const LOGGED: ReadonlySet<AuthErrorCode> = new Set<AuthErrorCode>(['OIDC_PROVIDER_UNAVAILABLE', 'OIDC_CLIENT_REJECTED', 'LOGIN_CLAIMS_INVALID']);

type Query = Readonly<Record<string, string | undefined>>;

/** The query of a request as strings (the first of repeated parameters). */
function queryOf(request: FastifyRequest): Query {
  const query = (request.query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined]));
}

export function createOidcAuth(settings: OidcAuthSettings): ConsoleAuth {
  const { oidc, secret, baseUrl, now } = settings;
  const provider = createProviderClient(oidc, settings.env);
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const redirectUri = `${baseUrl}${CALLBACK}`;
  const cookies: CookieSettings = { secure: base.protocol === 'https:' };
  const sessionPath = basePath || '/';
  const loginPath = `${basePath}/auth`;
  const sessionSeconds = Math.round(settings.sessionHours * 3600);
  const scope = (oidc.scopes ?? DEFAULT_SCOPES).join(' ');
  const keptGroups = groupsNamedIn(settings.roles);
  const loginUrl = (returnTo: string): string => `${basePath}${LOGIN}?return_to=${encodeURIComponent(safeReturnPath(returnTo))}`;

  const sessionOf = (request: FastifyRequest): SessionData | null => {
    const verified = verifySession(secret, readCookie(request, SESSION_COOKIE), now());
    return verified.ok ? verified.data : null;
  };
  const bindingOf = (session: SessionData): string => `oidc:${session.sid}`;

  /** Answers a failed sign-in with its page; unexpected errors are logged and shown without detail. */
  const fail = (reply: FastifyReply, error: unknown): FastifyReply => {
    const known = error instanceof AuthError ? error : isProviderUnreachable(error) ? providerUnavailable(provider.issuer, error) : undefined;
    if (known) {
      if (LOGGED.has(known.code)) settings.warn(`console: sign-in failed: ${known.code}: ${known.message}`);
      return sendErrorPage(reply, known, loginUrl('/'));
    }
    settings.warn(`console: sign-in failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return sendErrorPage(reply, new AuthError('LOGIN_STATE_MISMATCH', 'the provider\'s answer does not match this sign-in (it may have been used already); sign in again', 400), loginUrl('/'));
  };

  const startLogin = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const returnTo = safeReturnPath(queryOf(request).return_to);
    try {
      const configuration = await provider.configuration();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      setCookie(reply, LOGIN_COOKIE, signLoginState(secret, { state, nonce, verifier, returnTo }, now()), LOGIN_TTL_SECONDS, loginPath, cookies);
      return reply.header('cache-control', 'no-store').redirect(url.href, 303);
    } catch (error) {
      return fail(reply, error);
    }
  };

  /** The claims of the ID token, merged with userinfo when the provider has it (groups often live there). */
  const claimsOf = async (configuration: client.Configuration, tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): Promise<Claims> => {
    const idClaims = tokens.claims();
    if (!idClaims) throw new AuthError('LOGIN_CLAIMS_INVALID', 'the provider answered without an ID token (is "openid" among console.auth.oidc.scopes?)', 502);
    if (!configuration.serverMetadata().userinfo_endpoint || !tokens.access_token) return idClaims;
    let userinfo: client.UserInfoResponse;
    try {
      userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    } catch (error) {
      if (isProviderUnreachable(error)) throw providerUnavailable(provider.issuer, error);
      throw new AuthError('LOGIN_CLAIMS_INVALID', `the provider's userinfo endpoint did not answer for this sign-in (${providerErrorDetail(error)})`, 502);
    }
    return { ...userinfo, ...idClaims };
  };

  /** The session cookie of a person; when the groups make it too large, only the groups `roles` names are kept. */
  const sessionCookieFor = (person: Person): string => {
    const make = (who: Person): string => signSession(secret, { sid: newSessionId(), person: who }, sessionSeconds, now());
    let token = make(person);
    if (cookieHeader(SESSION_COOKIE, token, sessionSeconds, sessionPath, cookies).length > MAX_COOKIE_BYTES) {
      token = make({ ...person, groups: person.groups.filter((group) => keptGroups.has(group)) });
    }
    if (cookieHeader(SESSION_COOKIE, token, sessionSeconds, sessionPath, cookies).length > MAX_COOKIE_BYTES) {
      throw new AuthError('LOGIN_CLAIMS_INVALID', 'the person\'s id, name and groups are too large for a session cookie', 502);
    }
    return token;
  };

  const finishLogin = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const query = queryOf(request);
    const login = verifyLoginState(secret, readCookie(request, LOGIN_COOKIE), now());
    clearCookie(reply, LOGIN_COOKIE, loginPath, cookies);
    reply.header('cache-control', 'no-store');
    try {
      if (!login.ok) {
        const why = login.problem === 'expired' ? 'took longer than 10 minutes' : 'was started in another browser or tab, or its cookie was lost';
        throw new AuthError('LOGIN_STATE_MISSING', `this sign-in ${why}; sign in again`, 400);
      }
      if (query.error) {
        const detail = query.error_description ? `: ${query.error_description}` : '';
        throw new AuthError('LOGIN_DENIED', `the provider refused the sign-in (${query.error}${detail})`, 403);
      }
      if (query.state !== login.data.state) throw new AuthError('LOGIN_STATE_MISMATCH', 'the provider\'s answer belongs to another sign-in (its state differs); sign in again', 400);
      const configuration = await provider.configuration();
      const currentUrl = new URL(redirectUri);
      currentUrl.search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
      try {
        tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
          pkceCodeVerifier: login.data.verifier,
          expectedState: login.data.state,
          expectedNonce: login.data.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (isProviderUnreachable(error)) throw providerUnavailable(provider.issuer, error);
        throw tokenRefused(error);
      }
      const person = personFromClaims(await claimsOf(configuration, tokens), oidc.user_claim, oidc.groups_claim);
      setCookie(reply, SESSION_COOKIE, sessionCookieFor(person), sessionSeconds, sessionPath, cookies);
      return reply.redirect(`${baseUrl}${login.data.returnTo}`, 303);
    } catch (error) {
      return fail(reply, error);
    }
  };

  const logout = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const session = sessionOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const formToken = typeof body.csrf_token === 'string' ? body.csrf_token : undefined;
    const fromScript = request.headers[CSRF_HEADER] !== undefined;
    const check = checkCsrf(request, { secret, origin: base.origin, binding: session ? bindingOf(session) : null, token: formToken });
    // Signed out already: nothing to protect, only a cross-site request is refused.
    if (!check.ok && (session !== null || check.code === 'CROSS_ORIGIN')) {
      if (fromScript) return reply.code(403).send({ code: check.code, message: check.message });
      return sendErrorPage(reply, new AuthError('LOGIN_STATE_MISMATCH', `signing out was refused: ${check.message}`, 403), `${basePath}/`);
    }
    clearCookie(reply, SESSION_COOKIE, sessionPath, cookies);
    let redirect = `${baseUrl}/`;
    try {
      const configuration = await provider.configuration();
      if (configuration.serverMetadata().end_session_endpoint) {
        redirect = client.buildEndSessionUrl(configuration, { client_id: oidc.client_id, post_logout_redirect_uri: oidc.post_logout_redirect_uri ?? `${baseUrl}/` }).href;
      }
    } catch {
      // The provider is down: signed out of the console all the same.
    }
    reply.header('cache-control', 'no-store');
    if (fromScript) return reply.send({ ok: true, redirect });
    return reply.redirect(redirect, 303);
  };

  return {
    mode: 'oidc',
    async register(app: FastifyInstance) {
      await ensureCookiePlugin(app);
      app.get(LOGIN, startLogin);
      app.get(CALLBACK, finishLogin);
      await app.register(async (scope) => {
        // The sign-out button may be a plain form (csrf_token field) as well as a fetch with the header.
        if (!scope.hasContentTypeParser(FORM_TYPE)) {
          scope.addContentTypeParser(FORM_TYPE, { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
            done(null, Object.fromEntries(new URLSearchParams(String(body))));
          });
        }
        scope.post(LOGOUT, logout);
      });
    },
    authenticate: (request) => Promise.resolve(sessionOf(request)?.person ?? null),
    rolesOf: (person) => rolesFor(person, settings.roles),
    ...csrfMethods(secret, base.origin, (request) => {
      const session = sessionOf(request);
      return session ? bindingOf(session) : null;
    }),
    loginUrl,
    logoutUrl: `${basePath}${LOGOUT}`,
  };
}
