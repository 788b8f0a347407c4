/** A `runbook console` / `runbook dev` process for the CLI tests: resolves once it printed its `console:` line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../support/run-cli.ts';

export interface ServingProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends `signal` (default SIGINT) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function serve(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ServingProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let text = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no console line within ${options.timeoutMs ?? 90_000} ms:\n${text}`));
    }, options.timeoutMs ?? 90_000);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = /^console: (http:\/\/\S+\/)$/m.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          output: () => text,
          stop: async (signal = 'SIGINT') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before printing its console line:\n${text}`));
    });
  });
}
