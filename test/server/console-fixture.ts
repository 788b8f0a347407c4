/**
 * The console server on the in-process backend, for `app.inject` tests: the example runbooks and
 * handlers (their data in a temp directory), an auth that is `none` by default, and small helpers
 * that send the CSRF token and wait for a run's next state.
 */
import type { AgentRegistry } from '../../interpreter/agents/index.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { LocalRuntime, loadHandlerRegistry, type DocumentStore, type HandlerRegistry, type PendingAction, type UiState } from '../../interpreter/index.ts';
import type { ConsoleAuthPort, ConsolePerson } from '../../interpreter/server/console-auth-port.ts';
import { localOnlyAuth, sameToken } from '../../interpreter/server/console-auth-port.ts';
import type { Role } from '../../interpreter/server/console-api.ts';
import { createConsoleServer } from '../../interpreter/server/console-server.ts';
import { LocalBackend } from '../../interpreter/server/local-backend.ts';
import { loadProjectRunbooks } from '../../interpreter/server/project-runbooks.ts';
import { ROOT } from '../support/run-cli.ts';

process.env.RUNBOOK_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'console-data-'));

let handlers: Promise<HandlerRegistry> | undefined;
export const exampleHandlers = (): Promise<HandlerRegistry> => (handlers ??= loadHandlerRegistry(join(ROOT, 'handlers')));

export interface ConsoleFixture {
  readonly app: FastifyInstance;
  readonly runtime: LocalRuntime;
  readonly csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The run's state once `predicate` holds (re-checked on every change). */
  until(runId: string, predicate: (state: UiState) => boolean): Promise<UiState>;
  /** The run's pending action once it waits on `step`. */
  waitingAt(runId: string, step: string): Promise<PendingAction>;
  close(): Promise<void>;
}

/** `documents`: the store the runs commit into and the console reads (default: the runtime's private in-memory one, and the document routes answer 503). */
export async function startConsole(options: { auth?: ConsoleAuthPort; runbooksDir?: string; agents?: AgentRegistry; documents?: DocumentStore } = {}): Promise<ConsoleFixture> {
  const registry = await exampleHandlers();
  const project = await loadProjectRunbooks(options.runbooksDir ?? join(ROOT, 'runbooks'), registry, options.agents);
  if (project.errors.length > 0) throw new Error(`fixture runbooks invalid: ${project.errors.map((d) => d.message).join('; ')}`);
  const runtime = new LocalRuntime({ definitions: project.definitions, handlers: registry, ...(options.agents ? { agents: options.agents } : {}), ...(options.documents ? { documents: options.documents } : {}) });
  const backend = new LocalBackend({ runtime, catalog: project.catalog, handlers: registry });
  const app = await createConsoleServer({ backend, auth: options.auth ?? localOnlyAuth(), appDir: null, heartbeatMs: 200, ...(options.documents ? { documents: options.documents } : {}) });
  const me = await app.inject({ url: '/api/me' });
  const csrf = me.statusCode === 200 ? (me.json() as { csrf_token: string }).csrf_token : '';
  const until = async (runId: string, predicate: (state: UiState) => boolean): Promise<UiState> => {
    const run = runtime.get(runId);
    let state = await run.currentUiState();
    const deadline = Date.now() + 20_000;
    while (!predicate(state)) {
      if (Date.now() > deadline) throw new Error(`run ${runId} never reached the state: ${JSON.stringify({ status: state.status, pending: state.pending_action?.step, error: state.error })}`);
      if (['completed', 'failed', 'cancelled'].includes(state.status)) throw new Error(`run ${runId} ended (${state.status}) first: ${JSON.stringify(state.error)}`);
      state = await run.waitForChange(state.version);
    }
    return state;
  };
  return {
    app,
    runtime,
    csrf,
    get: (url) => app.inject({ method: 'GET', url }),
    post: (url, body, headers = {}) =>
      app.inject({ method: 'POST', url, headers: { 'x-csrf-token': csrf, ...headers }, ...(body === undefined ? {} : { payload: body as object }) }),
    until,
    waitingAt: async (runId, step) => (await until(runId, (state) => state.pending_action?.step === step)).pending_action!,
    close: () => app.close(),
  };
}

/** An auth for tests: the person named in `x-test-user` with the roles the table gives, CSRF token `t0ken`. */
export function testAuth(people: Record<string, readonly Role[]>): ConsoleAuthPort {
  return {
    mode: 'proxy',
    authenticate: (request) => {
      const id = request.headers['x-test-user'];
      if (typeof id !== 'string' || !(id in people)) return null;
      const person: ConsolePerson = { id, name: id, email: `${id}@example.test`, groups: [] };
      return person;
    },
    rolesOf: (person) => people[person.id] ?? [],
    csrfToken: () => 't0ken',
    verifyCsrf: (request) => sameToken(request.headers['x-csrf-token'], 't0ken'),
  };
}

let counter = 0;
/** A month-end close input with an entity and period no other test uses (the ledger closes a period once). */
export function monthEndInput(): { entity: string; period: string; expected_documents: unknown[] } {
  counter += 1;
  const month = String((counter % 12) + 1).padStart(2, '0');
  return { entity: `acme-${process.pid}-${Date.now().toString(36)}-${counter}`, period: `2025-${month}`, expected_documents: [] };
}

export const TB_CONTENT = '# period: PERIOD\n# currency: GBP\naccount,name,debit,credit\n1000,Bank,1000.00,\n4000,Sales,,1000.00\n';

/** A trial balance upload for `period`, inline. */
export function trialBalance(period: string): { period: string; filename: string; content: string } {
  return { period, filename: `tb-${period}.csv`, content: TB_CONTENT.replace('PERIOD', period) };
}
