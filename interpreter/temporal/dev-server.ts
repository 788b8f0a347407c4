/**
 * The Temporal CLI's development server, for development and tests (Node side only: never
 * import this from workflow code). `startDevServer()` starts `temporal server start-dev
 * --headless` on free ports with its own database, waits until the frontend answers, and
 * returns its address and a `stop()`.
 *
 * Servers still running when the process exits are killed (and their temporary databases
 * removed) by an `exit` hook, so a crashed test run does not leave servers behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureTemporalCli, PROJECT_ROOT, tail, TemporalDevServerError } from './temporal-cli.ts';

// ---------------------------------------------------------------------------------------------

export interface DevServerOptions {
  /** Frontend gRPC port; a free one when omitted. */
  port?: number;
  /** SQLite file that persists the server's state; a file in a fresh temp dir when omitted. */
  dbFilename?: string;
  /** Extra namespaces to create at launch ("default" always exists). */
  namespaces?: string[];
  /** Search attributes to register, name -> type (Text, Keyword, Int, Double, Bool, Datetime, KeywordList). */
  searchAttributes?: Record<string, string>;
  /** Dynamic config values, key -> JSON value. */
  dynamicConfig?: Record<string, unknown>;
  /** Server log level (`--log-level`); the CLI's default when omitted. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'never';
  /** More arguments for `temporal server start-dev`. */
  extraArgs?: string[];
  /** How long to wait for the server to answer (default 60 s). */
  startTimeoutMs?: number;
  /** Receives the server's stdout/stderr as it comes (it is also kept as a tail for errors). */
  onOutput?: (chunk: string) => void;
  /**
   * Whether the running server keeps this Node process alive (default true). Test helpers
   * pass false so a test process can exit when its tests are done; the exit hook then kills it.
   */
  keepAlive?: boolean;
  /** Path of the `temporal` binary; `ensureTemporalCli()` when omitted. */
  cliPath?: string;
  /** Serve the Web UI on 127.0.0.1 (on this port, or a free one when 0 or omitted); headless when absent. */
  ui?: { readonly port?: number };
}

export interface DevServer {
  /** `127.0.0.1:<port>` */
  readonly address: string;
  readonly namespace: string;
  readonly port: number;
  readonly pid: number;
  readonly dbFilename: string;
  /** `http://127.0.0.1:<port>` of the Web UI, when started with `ui`. */
  readonly uiUrl?: string;
  /** Settles when the server process exits, for whatever reason. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** The last lines the server printed. */
  outputTail(): string;
  /** SIGTERM, wait for exit, SIGKILL after 10 s; removes a temporary database. Idempotent. */
  stop(): Promise<void>;
}

interface LiveServer {
  child: ChildProcess;
  tempDir?: string;
}

const live = new Set<LiveServer>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible here: kill what is still running, drop temp databases.
  process.on('exit', () => {
    for (const server of live) {
      try {
        // A temporary database is thrown away anyway: no need for a graceful shutdown.
        server.child.kill(server.tempDir ? 'SIGKILL' : 'SIGTERM');
      } catch {
        /* already gone */
      }
      if (server.tempDir) rmSync(server.tempDir, { recursive: true, force: true });
    }
    live.clear();
  });
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePromise(port) : reject(new Error('could not find a free port'))));
    });
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True once the server's frontend answers and the namespace exists. */
export async function serverAnswers(address: string, namespace = 'default'): Promise<boolean> {
  const { Connection } = await import('@temporalio/client');
  let connection: Awaited<ReturnType<typeof Connection.connect>> | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 });
    const deadline = new Date(Date.now() + 2_000);
    await connection.withDeadline(deadline, () => connection!.workflowService.getSystemInfo({}));
    await connection.withDeadline(deadline, () => connection!.workflowService.describeNamespace({ namespace }));
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/**
 * Starts `temporal server start-dev --headless --ip 127.0.0.1 --port P` and resolves once it
 * answers. Retries with other ports if the chosen one was taken meanwhile (unless `port` was given).
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cliPath = options.cliPath ?? (await ensureTemporalCli());
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await startOnce(cliPath, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

class PortTakenError extends TemporalDevServerError {}

async function startOnce(cliPath: string, options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await findFreePort());
  const tempDir = options.dbFilename ? undefined : mkdtempSync(join(tmpdir(), 'runbook-temporal-'));
  const dbFilename = options.dbFilename ? resolve(options.dbFilename) : join(tempDir!, 'temporal.sqlite');
  if (options.dbFilename) mkdirSync(dirname(dbFilename), { recursive: true });
  const address = `127.0.0.1:${port}`;
  const namespace = 'default';

  const uiPort = options.ui ? options.ui.port || (await findFreePort()) : undefined;
  const uiArgs = uiPort === undefined ? ['--headless'] : ['--ui-ip', '127.0.0.1', '--ui-port', String(uiPort), '--ui-disable-news-fetch'];
  const args = ['server', 'start-dev', ...uiArgs, '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFilename];
  for (const ns of options.namespaces ?? []) args.push('--namespace', ns);
  for (const [key, type] of Object.entries(options.searchAttributes ?? {})) args.push('--search-attribute', `${key}=${type}`);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  if (options.logLevel) args.push('--log-level', options.logLevel);
  args.push(...(options.extraArgs ?? []));

  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tempDir ?? PROJECT_ROOT });
  const entry: LiveServer = { child, tempDir };
  live.add(entry);
  installExitHook();

  let output = '';
  const errorLines: string[] = [];
  const onChunk = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-16_000);
    // Keep the first few error-looking lines: a usage dump after them would push them out of the tail.
    for (const line of text.split('\n')) {
      if (errorLines.length < 10 && /\b(error|fatal|panic|unknown (flag|command)|failed)\b/i.test(line)) {
        errorLines.push(line.trim().slice(0, 500));
      }
    }
    options.onOutput?.(text);
  };
  child.stdout!.on('data', onChunk);
  child.stderr!.on('data', onChunk);
  const outputTail = () => tail(output, 40);
  const describeOutput = () =>
    (errorLines.length ? `--- server errors ---\n${errorLines.join('\n')}\n` : '') +
    `--- server output (tail) ---\n${outputTail()}`;

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('error', (error) => {
      spawnError = error;
      exitInfo = { code: null, signal: null };
      resolveExit(exitInfo);
    });
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolveExit(exitInfo);
    });
  });
  void exited.then(() => {
    live.delete(entry);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  if (options.keepAlive === false) {
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exitInfo) {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        killTimer.unref();
        await exited;
        clearTimeout(killTimer);
      }
      live.delete(entry);
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  // Wait until it answers, or exits, or the timeout passes.
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const started = Date.now();
  for (;;) {
    if (exitInfo) {
      await stop();
      const why = spawnError
        ? `could not run "${cliPath}": ${spawnError.message}`
        : `exited during start-up (code ${exitInfo.code}, signal ${exitInfo.signal})`;
      const message = `Temporal dev server on ${address} ${why}\n${describeOutput()}`;
      if (!spawnError && !options.port && /address already in use|bind:/i.test(output)) {
        throw new PortTakenError(message);
      }
      throw new TemporalDevServerError(message);
    }
    if (await Promise.race([serverAnswers(address, namespace), exited.then(() => false)])) break;
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new TemporalDevServerError(
        `Temporal dev server on ${address} did not answer within ${Math.round(timeoutMs / 1000)} s ` +
          `(${cliPath} ${args.join(' ')})\n${describeOutput()}`,
      );
    }
    await delay(200);
  }

  return {
    address,
    namespace,
    port,
    pid: child.pid!,
    dbFilename,
    ...(uiPort === undefined ? {} : { uiUrl: `http://127.0.0.1:${uiPort}` }),
    exited,
    outputTail,
    stop,
  };
}
