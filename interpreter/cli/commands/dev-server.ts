/**
 * `runbook dev-server [--port N] [--db-filename F]`: runs a local Temporal development server
 * (the Temporal CLI's `server start-dev`, installed into the user cache on first use)
 * until SIGINT/SIGTERM, then stops it cleanly.
 */
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import { startDevServer } from '../../temporal/dev-server.ts';

const USAGE = [
  'usage: runbook dev-server [--port N] [--db-filename FILE] [--namespace NS]... [--quiet]',
  '',
  'Starts a local Temporal development server on 127.0.0.1 and keeps it up until Ctrl-C.',
  '',
  'options:',
  '  --port N            frontend gRPC port (default: the port of a local temporal.address in',
  '                      runbook.config.yaml or TEMPORAL_ADDRESS, else a free port)',
  '  --db-filename FILE  keep the server state in this SQLite file (default: a temporary one, deleted on stop)',
  '  --namespace NS      create this namespace too ("default" always exists, and so does the',
  '                      configured temporal.namespace); repeatable',
  '  --quiet             do not echo the server\'s own log output',
].join('\n');

/** The port and namespace the configuration names, when it names a local server (not the defaults). */
function configuredServer(): { port?: number; namespaces: string[] } {
  const { temporal } = cliConfig();
  const namespaces = temporal.namespace.source === 'default' || temporal.namespace.value === 'default' ? [] : [temporal.namespace.value];
  if (temporal.address.source === 'default') return { namespaces };
  const match = /^(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(temporal.address.value);
  return { ...(match ? { port: Number(match[1]) } : {}), namespaces };
}

export const command: Command = {
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        options: {
          port: { type: 'string' },
          'db-filename': { type: 'string' },
          namespace: { type: 'string', multiple: true },
          quiet: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
        allowPositionals: true,
      });
      if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT_OK;
      }
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      let port: number | undefined;
      if (values.port !== undefined) {
        port = Number(values.port);
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          throw new UsageError(`--port must be a port number, got "${values.port}"`);
        }
      }
      // Where the project's other commands will connect (runbook.config.yaml or TEMPORAL_ADDRESS): serve there.
      const configured = configuredServer();
      port ??= configured.port;
      const namespaces = [...new Set([...(values.namespace ?? []), ...configured.namespaces])];

      // Catch the signals from the start, so a Ctrl-C during start-up still stops the server.
      let signalled: NodeJS.Signals | undefined;
      let wake: (() => void) | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        signalled ??= signal;
        wake?.();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        let server;
        try {
          server = await startDevServer({
            port,
            dbFilename: values['db-filename'],
            namespaces,
            onOutput: values.quiet ? undefined : (chunk) => process.stderr.write(chunk),
          });
        } catch (error) {
          // Ctrl-C reaches the server too, which then "exits during start-up": not worth a report.
          if (signalled) {
            writeError(`${signalled}: interrupted while starting the Temporal dev server`);
            return EXIT_FAILED;
          }
          throw error;
        }
        if (!signalled) {
          process.stdout.write(
            [
              `Temporal dev server running on ${server.address} (namespace "${server.namespace}", pid ${server.pid})`,
              values['db-filename'] ? `state: ${server.dbFilename}` : 'state: temporary (deleted on stop; use --db-filename to keep it)',
              '',
              'In another shell:',
              `  export TEMPORAL_ADDRESS=${server.address}`,
              '',
              'Press Ctrl-C to stop.',
              '',
            ].join('\n'),
          );
          // Wait for a signal, or for the server to exit on its own.
          await new Promise<void>((resolve) => {
            wake = resolve;
            void server.exited.then(() => resolve());
          });
        }
        const exitedByItself = !signalled;
        if (signalled) process.stderr.write(`runbook: ${signalled}: stopping the Temporal dev server\n`);
        await server.stop();
        if (exitedByItself) {
          const exit = await server.exited;
          writeError(`the Temporal dev server exited (code ${exit.code}, signal ${exit.signal})\n${server.outputTail()}`);
          return EXIT_FAILED;
        }
        process.stderr.write('runbook: Temporal dev server stopped\n');
        return EXIT_OK;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }),
};
