/**
 * A minimal console for the OIDC tests: a Fastify app with the auth's routes, `GET /whoami`
 * (the person and roles, or 401 with the login URL) and `POST /mutate` (CSRF-checked), on a free
 * port, against a test provider (test/support/oidc-provider.ts).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { ConsoleConfig } from '../../../interpreter/config/config-format.ts';
import { createConsoleAuth, type ConsoleAuth } from '../../../interpreter/server/auth/index.ts';
import { freePort, OIDC_TEST_SCOPES, startOidcProvider, type OidcProviderFixture, type OidcProviderOptions } from '../../support/oidc-provider.ts';

export const SECRET_ENV = 'TEST_OIDC_CLIENT_SECRET';
export const SESSION_ENV = 'TEST_SESSION_SECRET';
export const SESSION_SECRET = 'a-test-session-secret-of-enough-length-0123456789';

export interface OidcHarness {
  readonly baseUrl: string;
  readonly app: FastifyInstance;
  readonly auth: ConsoleAuth;
  readonly idp: OidcProviderFixture;
  readonly warnings: string[];
  close(): Promise<void>;
}

export async function startOidcHarness(
  provider: Omit<OidcProviderOptions, 'redirectUris'>,
  console: Partial<ConsoleConfig> = {},
  extra: { now?: () => number; oidc?: Partial<NonNullable<NonNullable<ConsoleConfig['auth']>['oidc']>>; clientSecret?: string } = {},
): Promise<OidcHarness> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const idp = await startOidcProvider({ ...provider, redirectUris: [`${baseUrl}/auth/callback`] });
  const warnings: string[] = [];
  const auth = await createConsoleAuth(
    {
      auth: { mode: 'oidc', session_secret_env: SESSION_ENV, oidc: { issuer: idp.issuer, client_id: idp.clientId, client_secret_env: SECRET_ENV, scopes: [...OIDC_TEST_SCOPES], ...extra.oidc } },
      ...console,
    },
    { baseUrl, env: { [SECRET_ENV]: extra.clientSecret ?? idp.clientSecret, [SESSION_ENV]: SESSION_SECRET }, warn: (message) => warnings.push(message), ...(extra.now ? { now: extra.now } : {}) },
  );
  const app = Fastify();
  await auth.register(app);
  app.get('/whoami', async (request, reply) => {
    const person = await auth.authenticate(request);
    if (!person) return reply.code(401).send({ code: 'UNAUTHENTICATED', login: auth.loginUrl(request.url) });
    return { person, roles: auth.rolesOf(person), csrf: auth.csrfToken(request) };
  });
  app.post('/mutate', async (request, reply) => {
    const person = await auth.authenticate(request);
    if (!person) return reply.code(401).send({ code: 'UNAUTHENTICATED' });
    const check = auth.checkCsrf(request);
    if (!check.ok) return reply.code(403).send({ code: check.code });
    return { ok: true, actor: person.id };
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    baseUrl,
    app,
    auth,
    idp,
    warnings,
    close: async () => {
      await app.close();
      await idp.stop();
    },
  };
}
