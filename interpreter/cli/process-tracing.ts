/**
 * The one OpenTelemetry tracing of a CLI process (interpreter/temporal/tracing.ts), started by the
 * first command part that needs it (a worker, a client that starts runs) and stopped, flushing what
 * is buffered, when the command ends (main.ts). OpenTelemetry is imported only then: this module
 * imports nothing of it, so every other command (and `runbook --help`) pays nothing.
 */
import { readFileSync } from 'node:fs';
import type { RunbookTracing, TracingProtocol } from '../temporal/tracing.ts';

/** Tracing as the configuration resolved it (temporal-support.ts tracingSettings): checked, on. */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL. */
  readonly url: string;
  readonly protocol: TracingProtocol;
  readonly serviceName: string;
}

let started: Promise<RunbookTracing> | undefined;

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The process's tracing, created on first call (later calls get the same one, whatever their settings). */
export function processTracing(settings: TracingSettings): Promise<RunbookTracing> {
  started ??= import('../temporal/tracing.ts').then(({ createTracing }) =>
    createTracing({
      url: settings.url,
      protocol: settings.protocol,
      serviceName: settings.serviceName,
      ...(packageVersion() ? { serviceVersion: packageVersion() } : {}),
      // One line in the worker's log format; never a failure of the command.
      onExportError: (message) => void process.stderr.write(`${new Date().toISOString()} WARN ${message}\n`),
    }),
  );
  return started;
}

/** Flushes and stops the process's tracing, if one was started (bounded: a collector that does not answer never holds the exit). */
export async function stopProcessTracing(): Promise<void> {
  if (!started) return;
  const tracing = await started.catch(() => undefined);
  await tracing?.shutdown();
}
