/**
 * A real OpenID provider for tests (the `oidc-provider` package), in this process on a free
 * loopback port: one confidential client (client_secret_basic, code flow, PKCE), the given
 * users, a `groups` scope with a `groups` claim, and a login page of its own — a form with
 * `login` and `password` fields (labelled "Username", "Password", button "Sign in"), or no page
 * at all with `autoLogin` (the named user is signed in at once, for tests that only need a
 * session). Consent is implied (first-party client).
 *
 *   const idp = await startOidcProvider({ users: [{ id: 'ana', password: 'pw', email: 'ana@acme.example', name: 'Ana', groups: ['accountants'] }],
 *                                          redirectUris: [`${consoleUrl}/auth/callback`] });
 *   // console config: { auth: { mode: 'oidc', oidc: { issuer: idp.issuer, client_id: idp.clientId, client_secret_env: 'X', scopes: OIDC_TEST_SCOPES } } }
 *   await idp.stop();
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import Provider, { type ProviderContext } from 'oidc-provider';

export interface OidcTestUser {
  /** The `sub` claim and the login name. */
  readonly id: string;
  /** The password of the login form; absent: any password (or none) signs this user in. */
  readonly password?: string;
  readonly email?: string;
  readonly name?: string;
  readonly groups?: readonly string[];
}

export interface OidcProviderOptions {
  readonly users: readonly OidcTestUser[];
  /** The client's allowed redirect URIs (the console's `<base>/auth/callback`). */
  readonly redirectUris: readonly string[];
  /** Allowed post-logout redirects (default: each redirect URI's origin + `/`). */
  readonly postLogoutRedirectUris?: readonly string[];
  /** Sign this user in without showing the login form. */
  readonly autoLogin?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Port to listen on (default: a free one). */
  readonly port?: number;
}

export interface OidcProviderFixture {
  /** `http://127.0.0.1:PORT` */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** How many times a user signed in at the login form or by autoLogin. */
  readonly logins: () => number;
  stop(): Promise<void>;
}

/** The scopes a console must request from this provider to get the groups claim. */
export const OIDC_TEST_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'groups'];

/** A free TCP port on 127.0.0.1 (free when asked; a test that races for it is unlucky). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** oidc-provider's storage, in memory, for one provider (its own default says so on every start). */
class MemoryAdapter {
  private static readonly stores = new WeakMap<object, Map<string, Map<string, { payload: Record<string, unknown>; expiresAt: number }>>>();
  private readonly items: Map<string, { payload: Record<string, unknown>; expiresAt: number }>;
  constructor(owner: object, name: string) {
    const byName = MemoryAdapter.stores.get(owner) ?? new Map();
    MemoryAdapter.stores.set(owner, byName);
    this.items = byName.get(name) ?? new Map();
    byName.set(name, this.items);
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
    this.items.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
  }
  async find(id: string): Promise<Record<string, unknown> | undefined> {
    const item = this.items.get(id);
    if (!item || item.expiresAt <= Date.now()) return undefined;
    return item.payload;
  }
  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    for (const [id, item] of this.items) if (item.payload.uid === uid) return this.find(id);
    return undefined;
  }
  async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
    for (const [id, item] of this.items) if (item.payload.userCode === userCode) return this.find(id);
    return undefined;
  }
  async consume(id: string): Promise<void> {
    const item = this.items.get(id);
    if (item) item.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string): Promise<void> {
    this.items.delete(id);
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, item] of this.items) if (item.payload.grantId === grantId) this.items.delete(id);
  }
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function loginPage(uid: string, problem?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · test provider</title></head><body><main>
<h1>Sign in</h1>${problem ? `<p role="alert">${escape(problem)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Username</label> <input id="login" name="login" autocomplete="username" required autofocus>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form></main></body></html>`;
}

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProviderFixture> {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = options.clientId ?? 'runbook-console';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const users = new Map(options.users.map((user) => [user.id, user]));
  let logins = 0;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test-key' };
  const postLogout = options.postLogoutRedirectUris ?? [...new Set(options.redirectUris.map((uri) => `${new URL(uri).origin}/`))];

  const storeOwner = {};
  const provider = new Provider(issuer, {
    adapter: function Adapter(name: string) {
      return new MemoryAdapter(storeOwner, name);
    },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...options.redirectUris],
        post_logout_redirect_uris: postLogout,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'], groups: ['groups'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The confirmation page: a "Sign out" button (and "Stay signed in").
        logoutSource: (ctx: { body: string }, form: string) => {
          ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out · test provider</title></head><body><main><h1>Sign out?</h1>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button> <button type="submit" form="op.logoutForm">Stay signed in</button></main></body></html>`;
        },
        postLogoutSuccessSource: (ctx: { body: string }) => {
          ctx.body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out · test provider</title></head><body><main><h1>Signed out</h1></main></body></html>';
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx: unknown, sub: string) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, name: user.name, email: user.email, email_verified: user.email !== undefined, groups: [...(user.groups ?? [])] }),
      };
    },
    // A first-party client: what it asks for is granted without a consent page.
    loadExistingGrant: async (ctx: ProviderContext) => {
      const { oidc } = ctx;
      const clientOf = oidc.client?.clientId;
      const accountId = oidc.session?.accountId;
      if (!clientOf || !accountId) return undefined;
      const existing = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientOf);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({ accountId, clientId: clientOf });
      grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>provider error</title><h1>${escape(out.error ?? 'error')}</h1><p>${escape(out.error_description ?? '')}</p>`;
    },
  });
  const providerHandler = provider.callback();

  const finishLogin = async (request: IncomingMessage, response: ServerResponse, accountId: string): Promise<void> => {
    logins++;
    await provider.interactionFinished(request, response, { login: { accountId } }, { mergeWithLastSubmission: false });
  };

  const interaction = async (request: IncomingMessage, response: ServerResponse, uid: string, action: string | undefined): Promise<void> => {
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (action === undefined && request.method === 'GET') {
      if (options.autoLogin !== undefined) return finishLogin(request, response, options.autoLogin);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid));
      return;
    }
    if (action === 'login' && request.method === 'POST') {
      const body = await formBody(request);
      const user = users.get(body.get('login') ?? '');
      if (!user || (user.password !== undefined && user.password !== body.get('password'))) {
        response.writeHead(401, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, 'Wrong username or password.'));
        return;
      }
      return finishLogin(request, response, user.id);
    }
    response.writeHead(404).end();
  };

  const server: Server = createServer((request, response) => {
    const match = /^\/interaction\/([^/?]+)(?:\/([a-z]+))?/.exec(request.url ?? '');
    if (!match) {
      providerHandler(request, response);
      return;
    }
    interaction(request, response, match[1], match[2]).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));

  return {
    issuer,
    clientId,
    clientSecret,
    logins: () => logins,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
