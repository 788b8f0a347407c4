/**
 * The console's cookies: read from the Cookie header directly (so authenticate works whether or
 * not the app registered @fastify/cookie) and written HttpOnly, SameSite=Lax, Secure when the
 * console is served over https.
 */
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The signed session (OIDC). */
export const SESSION_COOKIE = 'runbook_session';
/** The sign-in in progress: state, nonce, PKCE verifier, where to return (OIDC, 10 minutes). */
export const LOGIN_COOKIE = 'runbook_login';

/** Browsers drop cookies above about 4 KB (name, value and attributes). */
export const MAX_COOKIE_BYTES = 4000;

export interface CookieSettings {
  /** Set the Secure attribute (the console's base URL is https). */
  readonly secure: boolean;
}

/** The value of cookie `name` on the request, if any. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  try {
    return fastifyCookie.parse(header)[name];
  } catch {
    return undefined;
  }
}

/** The Set-Cookie header value for a cookie (maxAge seconds; 0 deletes it). */
export function cookieHeader(name: string, value: string, maxAgeSeconds: number, path: string, settings: CookieSettings): string {
  return fastifyCookie.serialize(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secure,
    path,
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
    ...(maxAgeSeconds <= 0 ? { expires: new Date(0) } : {}),
  });
}

/** Adds a Set-Cookie header to the reply (others already set are kept). */
export function setCookie(reply: FastifyReply, name: string, value: string, maxAgeSeconds: number, path: string, settings: CookieSettings): void {
  reply.header('set-cookie', cookieHeader(name, value, maxAgeSeconds, path, settings));
}

/** Deletes a cookie (expired, empty). */
export function clearCookie(reply: FastifyReply, name: string, path: string, settings: CookieSettings): void {
  setCookie(reply, name, '', 0, path, settings);
}

/** Registers @fastify/cookie unless the app already has it (`request.cookies` for the other routes). */
export async function ensureCookiePlugin(app: FastifyInstance): Promise<void> {
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
}
