/**
 * The console's HTTP server (Fastify): the routes of ./console-api.ts over a ConsoleBackend, the
 * auth layer's sign-in routes, server-sent events for live run pages, and the browser app's files.
 *
 * Every `/api/` request is authenticated (401 `UNAUTHENTICATED`) and checked for its role: reads need
 * `viewer`, every POST needs `operator` (403 `FORBIDDEN`) and the CSRF token (403 `CSRF`). The actor
 * of an action and who started a run are the signed-in person, never the request body. Errors are
 * `{ code, message }` JSON with the statuses of console-api.ts; never a stack trace. The browser
 * gets no Temporal address or credentials: the backend holds them.
 *
 * @example
 * const app = await createConsoleServer({ backend: new LocalBackend({ runtime, catalog }), auth: localOnlyAuth() });
 * await app.listen({ host: '127.0.0.1', port: 4400 });
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ReviewOutcome, RunStatus, UserAction } from '../index.ts';
import { ApiFailure, apiFailureOf } from './api-failure.ts';
import type { ActionRequest, MeResponse, OkResponse, Role, RunbooksResponse, RunPageResponse, RunsResponse, SignalRequest, StartRequest, StartResponse, UploadResponse } from './console-api.ts';
import type { ConsoleAuthPort, ConsolePerson } from './console-auth-port.ts';
import type { ConsoleBackend, RunView } from './console-backend.ts';
import { findConsoleAppDir, isServerPath, registerConsoleApp } from './console-app-files.ts';
import { buildInbox } from './inbox.ts';
import { exclusionOf, runHasEnded, runPageOf } from './run-page.ts';
import { streamRunEvents } from './run-events.ts';
import { registerEditorRoutes, type EditorRoutesOptions } from './editor/editor-routes.ts';
import { registerGraphRoutes } from './graph-routes.ts';
import { registerDocumentRoutes, type DocumentReaderSource } from './document-routes.ts';
import { summaryOf } from './runbook-catalog.ts';
import { storeHandlerOf } from './store-file.ts';

export interface ConsoleServerOptions {
  readonly backend: ConsoleBackend;
  readonly auth: ConsoleAuthPort;
  /** The built browser app; default: found beside this module (lib/console-app/). null: serve none. */
  readonly appDir?: string | null;
  /** Fastify's request log (default off: the CLI prints its own lines). */
  readonly logger?: boolean;
  /** Largest upload in bytes (default 50 MB). */
  readonly uploadLimitBytes?: number;
  /** Heartbeat interval of the event streams (default 15 s). */
  readonly heartbeatMs?: number;
  /** The runbook editor's files and checks; without it the editor's routes answer 404 `EDITOR_UNAVAILABLE`. */
  readonly editor?: EditorRoutesOptions;
  /**
   * The committed-document store the workers commit into (a store, or how to open it on first use), for
   * `GET /api/runs/:id/documents` and `/api/documents/:name/versions`; never closed by the server. Without
   * it those routes answer 503 `DOCUMENTS_UNAVAILABLE`.
   */
  readonly documents?: DocumentReaderSource;
}

const JSON_BODY_LIMIT = 4 * 1024 * 1024;
const DEFAULT_UPLOAD_LIMIT = 50 * 1024 * 1024;
const RUN_STATUSES: readonly RunStatus[] = ['running', 'waiting', 'completed', 'failed', 'cancelled'];
const OUTCOMES: readonly ReviewOutcome[] = ['approved', 'rejected', 'corrected'];
/** Outcomes the console always wants a reason for, whatever the review declares. */
const CONSOLE_COMMENT_REQUIRED: readonly ReviewOutcome[] = ['rejected'];
const MAX_LIST = 500;

const runParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 400 } } } as const;
const startBody = {
  type: 'object', required: ['runbook'], additionalProperties: false,
  properties: { runbook: { type: 'string', minLength: 1 }, input: {} },
} as const;
const actionBody = {
  type: 'object', required: ['step', 'action'], additionalProperties: false,
  // `answered` (with `payload`, the answer) answers an agent's question; the engine checks it against the question's schema.
  // `declined` (a `comment` says why) declines it: the agent's task is cancelled and the step fails with AGENT_DECLINED.
  properties: { step: { type: 'string', minLength: 1 }, action: { type: 'string', enum: [...OUTCOMES, 'answered', 'declined'] }, comment: { type: 'string', maxLength: 10_000 }, corrections: {}, payload: {} },
} as const;
const signalBody = {
  type: 'object', required: ['name'], additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1 }, payload: {} },
} as const;
const inboxQuery = {
  type: 'object', additionalProperties: false,
  properties: { runbook: { type: 'string' }, step: { type: 'string' }, action: { type: 'string' }, q: { type: 'string', maxLength: 500 } },
} as const;
const runsQuery = {
  type: 'object', additionalProperties: false,
  properties: { status: { type: 'string', enum: RUN_STATUSES }, runbook: { type: 'string' }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } },
} as const;
const uploadQuery = {
  type: 'object', required: ['filename'], additionalProperties: false,
  properties: { filename: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^/\\\\]+$' } },
} as const;

export interface Signed {
  readonly person: ConsolePerson;
  readonly roles: readonly Role[];
}

/** A request's person and roles, set by the API's onRequest hook. */
const signedIn = new WeakMap<FastifyRequest, Signed>();

/** The signed-in person and roles of an `/api/` request (401 when none): for route modules. */
export function whoIs(request: FastifyRequest): Signed {
  const signed = signedIn.get(request);
  if (!signed) throw new ApiFailure(401, 'UNAUTHENTICATED', 'sign in first');
  return signed;
}

/**
 * The path a request is routed by: the matched route's pattern, else the URL's path percent-decoded as
 * the router decodes it (`/%61pi/...` is routed as `/api/...`, so it must be checked as `/api/...`).
 */
function routedPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern) return pattern;
  const raw = request.url.split('?')[0];
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The role a route needs: `editor` for the editor's, `operator` for every other POST, `viewer` for reads; `/api/me` only a signed-in person. */
function roleFor(request: FastifyRequest): Role | null {
  const path = routedPath(request);
  if (path === '/api/me') return null;
  if (path === '/api/editor' || path.startsWith('/api/editor/')) return 'editor';
  return request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'operator';
}

/** Fastify's own 4xx errors (bad JSON, wrong content type, too large) as ApiFailures. */
function requestFailureOf(error: FastifyError): ApiFailure | undefined {
  if (error.validation) return new ApiFailure(400, 'BAD_REQUEST', `${error.validationContext ?? 'request'}${error.message.replace(/^(body|querystring|params)/, '')}`);
  const status = error.statusCode ?? 500;
  if (status === 413) return new ApiFailure(413, 'BODY_TOO_LARGE', error.message);
  if (status === 415) return new ApiFailure(415, 'UNSUPPORTED_MEDIA_TYPE', error.message);
  if (status >= 400 && status < 500) return new ApiFailure(400, 'BAD_REQUEST', error.message);
  return undefined;
}

export async function createConsoleServer(options: ConsoleServerOptions): Promise<FastifyInstance> {
  const { backend, auth } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: JSON_BODY_LIMIT,
    // Bodies are validated as sent: no coercion of a number into a comment.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    return503OnClosing: true,
    // Closing ends the live-event streams too (a page left open must not hold a Ctrl-C).
    forceCloseConnections: true,
  });

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const failure = apiFailureOf(error) ?? requestFailureOf(error);
    if (failure) return reply.code(failure.status).send(failure.body());
    request.log.error({ err: error }, 'console request failed');
    process.stderr.write(`runbook console: ${request.method} ${request.url.split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return reply.code(500).send({ code: 'INTERNAL', message: 'the console could not answer this request; its log says why' });
  });

  await auth.register?.(app);

  app.addHook('onRequest', async (request) => {
    const path = routedPath(request);
    if (!isServerPath(path) || !path.startsWith('/api')) return;
    const person = await auth.authenticate(request);
    if (!person) throw new ApiFailure(401, 'UNAUTHENTICATED', 'sign in first');
    const roles = auth.rolesOf(person);
    signedIn.set(request, { person, roles });
    const role = roleFor(request);
    if (role && !roles.includes(role)) throw new ApiFailure(403, 'FORBIDDEN', `this needs the ${role} role; ${person.id} has ${roles.length ? roles.join(', ') : 'none'}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const check = auth.checkCsrf?.(request);
      if (check && !check.ok) throw new ApiFailure(403, 'CSRF', check.message);
      if (!check && !(await auth.verifyCsrf(request))) throw new ApiFailure(403, 'CSRF', 'missing or wrong x-csrf-token header (take it from GET /api/me)');
    }
  });

  const pageOf = (view: RunView, request: FastifyRequest): RunPageResponse => {
    const { person, roles } = whoIs(request);
    return runPageOf(view, person, roles);
  };

  /** A run that must still be going (409 RUN_ENDED otherwise). */
  const liveRun = async (runId: string): Promise<RunView> => {
    const view = await backend.getRun(runId);
    if (runHasEnded(view.state)) throw new ApiFailure(409, 'RUN_ENDED', `run ${runId} has ended (${view.state.status})`);
    return view;
  };

  app.get('/api/me', async (request, reply): Promise<MeResponse> => {
    const { person, roles } = whoIs(request);
    return {
      user: { id: person.id, name: person.name, email: person.email, groups: person.groups },
      roles,
      csrf_token: await auth.csrfToken(request, reply),
      auth: auth.mode,
      runtime: backend.runtime,
      ...(auth.logoutUrl ? { logout_url: auth.logoutUrl } : {}),
    };
  });

  app.get('/api/runbooks', async (): Promise<RunbooksResponse> => ({ runbooks: (await backend.runbooks()).map(summaryOf) }));

  app.get<{ Querystring: { runbook?: string; step?: string; action?: string; q?: string } }>('/api/inbox', { schema: { querystring: inboxQuery } }, async (request) =>
    buildInbox(await backend.inbox(), request.query),
  );

  app.get<{ Querystring: { status?: RunStatus; runbook?: string; limit?: string } }>('/api/runs', { schema: { querystring: runsQuery } }, async (request): Promise<RunsResponse> => {
    const limit = Math.min(MAX_LIST, Math.max(1, Number(request.query.limit ?? 100)));
    return { runs: await backend.listRuns({ status: request.query.status, runbook: request.query.runbook, limit }) };
  });

  app.post<{ Body: StartRequest }>('/api/runs', { schema: { body: startBody } }, async (request, reply): Promise<StartResponse> => {
    const { person } = whoIs(request);
    const runId = await backend.start(request.body.runbook, request.body.input ?? {}, person.id);
    reply.code(201);
    return { run_id: runId };
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id', { schema: { params: runParams } }, async (request) => pageOf(await backend.getRun(request.params.id), request));

  app.get<{ Params: { id: string } }>('/api/runs/:id/events', { schema: { params: runParams } }, async (request, reply) => {
    const runId = request.params.id;
    await streamRunEvents(
      request,
      reply,
      {
        first: async () => pageOf(await backend.getRun(runId), request),
        next: (since, signal) => backend.watch(runId, since, signal),
        pageOf: async (state) => {
          const { definition } = await backend.getRun(runId).catch(() => ({ definition: null }));
          return pageOf({ state, definition }, request);
        },
      },
      options.heartbeatMs,
    );
  });

  app.post<{ Params: { id: string }; Body: ActionRequest }>('/api/runs/:id/action', { schema: { params: runParams, body: actionBody } }, async (request): Promise<OkResponse> => {
    const { person } = whoIs(request);
    const { step, action, comment, corrections, payload } = request.body;
    const { state } = await liveRun(request.params.id);
    const pending = state.pending_action;
    // The engine refuses these too; checked here first so the console's policy holds on any engine.
    const needsComment = new Set([...CONSOLE_COMMENT_REQUIRED, ...(pending?.comment_required ?? [])]);
    if (action !== 'answered' && action !== 'declined' && needsComment.has(action) && !comment?.trim()) throw new ApiFailure(422, 'COMMENT_REQUIRED', `a ${action} decision needs a comment saying why`);
    if ((pending?.kind === 'review' || pending?.kind === 'agent') && pending.step === step) {
      const excluded = exclusionOf(pending, person.id);
      if (excluded) throw new ApiFailure(409, 'SEPARATION_OF_DUTIES', excluded);
    }
    const userAction: UserAction = {
      action,
      step,
      actor: person.id,
      ...(comment?.trim() ? { comment: comment.trim() } : {}),
      ...(corrections !== undefined ? { corrections } : {}),
      ...(payload !== undefined ? { payload } : {}),
    };
    await backend.act(request.params.id, userAction);
    return { ok: true };
  });

  app.post<{ Params: { id: string }; Body: SignalRequest }>('/api/runs/:id/signal', { schema: { params: runParams, body: signalBody } }, async (request): Promise<OkResponse> => {
    await liveRun(request.params.id);
    await backend.signal(request.params.id, request.body.name, request.body.payload ?? null);
    return { ok: true };
  });

  app.post<{ Params: { id: string } }>('/api/runs/:id/cancel', { schema: { params: runParams } }, async (request): Promise<OkResponse> => {
    await liveRun(request.params.id);
    await backend.cancel(request.params.id);
    return { ok: true };
  });

  app.post<{ Params: { id: string }; Querystring: { filename: string }; Body: Buffer }>(
    '/api/runs/:id/uploads',
    { schema: { params: runParams, querystring: uploadQuery } },
    async (request): Promise<UploadResponse> => {
      if (!Buffer.isBuffer(request.body)) throw new ApiFailure(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the file as the raw body with content-type application/octet-stream');
      const { state } = await liveRun(request.params.id);
      const handler = storeHandlerOf(state.pending_action);
      const stored = await backend.storeFile(handler, { filename: request.query.filename, content: request.body }, request.params.id);
      return { stored };
    },
  );

  registerGraphRoutes(app, backend);
  registerDocumentRoutes(app, backend, options.documents);
  registerEditorRoutes(app, options.editor, (request) => whoIs(request).person);

  const appPage = await registerConsoleApp(app, options.appDir === undefined ? findConsoleAppDir() : options.appDir);
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    if (auth.loginUrl && !isServerPath(request.url) && request.method === 'GET' && !(await auth.authenticate(request))) {
      // A page of the app and nobody signed in: to the sign-in, and back here after.
      const login = auth.loginUrl(request.url);
      if (login) return reply.redirect(login, 302);
    }
    if (appPage(request, reply)) return reply;
    return reply.code(404).send(new ApiFailure(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`).body());
  });

  app.addHook('onClose', async () => {
    await backend.close();
  });
  return app;
}
