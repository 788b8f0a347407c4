/**
 * `runbook config [--format pretty|json]`: the resolved configuration, each value with where it
 * came from (default, runbook.config.yaml:LINE, env VAR, flag).
 */
import { redactedUrl } from '../../documents/postgres-document-store.ts';
import { displayPath, type Setting } from '../../config/index.ts';
import { hostPort } from '../worker-health.ts';
import { EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { agentsEntry, cliConfig, type CliConfig } from '../project-config.ts';

const USAGE = `usage: runbook config [--format pretty|json]

Prints the configuration every command uses: runbook.config.yaml (the nearest one at or above
the working directory, or RUNBOOK_CONFIG), then the environment (TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TEMPORAL_TLS, TEMPORAL_TLS_*, TEMPORAL_API_KEY,
RUNBOOK_STATE_DIR, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, ...), then a command's
flags. Secrets are never shown: the API key as set or unset, the client key by its path.

options:
  --format pretty|json   output format (default pretty)
  -h, --help             show this help`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => showConfig(argv)),
};

type Row = [string, string, string];

/** TLS and the API key; the key itself is a secret, shown only as set or unset. */
function tlsRows(config: CliConfig): Row[] {
  const { tls, apiKey } = config.temporal;
  const optional = (setting: Setting<string | null>, display = (value: string) => displayPath(value)): [string, string] => [setting.value === null ? '-' : display(setting.value), setting.source];
  const anyTls = [tls.serverCaCertPath, tls.serverName, tls.clientCertPath, tls.clientKeyPath, tls.serverCaCertData, tls.clientCertData, tls.clientKeyData].some((setting) => setting.value !== null);
  const enabled = tls.enabled.value ?? (anyTls || apiKey.value !== null);
  const apiKeyValue = apiKey.value === null ? `unset (${apiKey.env.value})` : `set (${apiKey.env.value}, redacted)`;
  return [
    ['temporal.tls', tls.enabled.value === null ? `${enabled ? 'on' : 'off'} (auto)` : enabled ? 'on' : 'off', tls.enabled.source],
    ['temporal.tls.server_ca_cert_path', ...optional(tls.serverCaCertPath)],
    ['temporal.tls.server_name', ...optional(tls.serverName, (value) => value)],
    ['temporal.tls.client_cert_path', ...optional(tls.clientCertPath)],
    ['temporal.tls.client_key_path', ...optional(tls.clientKeyPath)],
    // The PEM text of TEMPORAL_TLS_*_DATA: its size only (the key is a secret, the certificates too long to show).
    ...([['server_ca_cert_data', tls.serverCaCertData], ['client_cert_data', tls.clientCertData], ['client_key_data', tls.clientKeyData]] as const)
      .filter(([, setting]) => setting.value !== null)
      .map(([key, setting]): Row => [`temporal.tls.${key}`, `set (PEM text, ${setting.value!.length} characters${key === 'client_key_data' ? ', redacted' : ''})`, setting.source]),
    ['temporal.api_key', apiKeyValue, apiKey.value === null ? apiKey.env.source : `env ${apiKey.env.value}`],
  ];
}

/** The worker: section with its defaults. */
function workerRows(config: CliConfig): Row[] {
  const { worker } = config;
  const listener = (endpoint: CliConfig['worker']['metrics'], path: string): [string, string] =>
    endpoint.port.value === null ? ['off', endpoint.port.source] : [`http://${hostPort(endpoint.host.value, endpoint.port.value)}${path}`, endpoint.port.source];
  return [
    ['worker.max_concurrent_activities', String(worker.maxConcurrentActivities.value), worker.maxConcurrentActivities.source],
    ['worker.max_concurrent_workflow_tasks', String(worker.maxConcurrentWorkflowTasks.value), worker.maxConcurrentWorkflowTasks.source],
    ['worker.max_cached_workflows', worker.maxCachedWorkflows.value === null ? "the SDK's (by heap size)" : String(worker.maxCachedWorkflows.value), worker.maxCachedWorkflows.source],
    ['worker.shutdown_grace_time', worker.shutdownGraceTime.value, worker.shutdownGraceTime.source],
    ['worker.metrics', ...listener(worker.metrics, '/metrics')],
    ['worker.health', ...listener(worker.health, '/healthz')],
  ];
}

/** The tracing: section and the OTEL_* variables (docs/temporal.md, "Tracing"). */
function tracingRows(config: CliConfig): Row[] {
  const { endpoint, protocol, serviceName } = config.tracing;
  return [
    ['tracing.endpoint', endpoint.value ?? 'off', endpoint.source],
    ['tracing.protocol', protocol.value, protocol.source],
    ['tracing.service_name', serviceName.value, serviceName.source],
  ];
}

async function showConfig(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { options: { format: { type: 'string', default: 'pretty' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (values.format !== 'pretty' && values.format !== 'json') throw new UsageError(`unknown --format "${values.format}" (pretty or json)`);
  const config = cliConfig();
  const path = (value: string | false): string => (value === false ? 'false (handler checks off)' : displayPath(value));
  const rows: Row[] = [
    ['runbooks', path(config.runbooks.value), config.runbooks.source],
    ['handlers', path(config.handlers.value), config.handlers.source],
    ['agents', agentsValue(config), config.agents.source],
    ['state_dir', path(config.stateDir.value), config.stateDir.source],
    ['temporal.address', config.temporal.address.value, config.temporal.address.source],
    ['temporal.namespace', config.temporal.namespace.value, config.temporal.namespace.source],
    ['temporal.task_queue', config.temporal.taskQueue.value, config.temporal.taskQueue.source],
    ...tlsRows(config),
    ['documents', config.documents.url.value ? redactedUrl(config.documents.url.value) : `${path(config.state.documentsFile)} (embedded SQLite)`, config.documents.url.source],
    ...workerRows(config),
    ...tracingRows(config),
  ];
  if (values.format === 'json') {
    const settings = Object.fromEntries(rows.map(([key, value, source]) => [key, { value, source }]));
    process.stdout.write(`${JSON.stringify({ file: config.file ?? null, root: config.root, settings }, null, 2)}\n`);
    return EXIT_OK;
  }
  process.stdout.write(`config file: ${config.file ? displayPath(config.file) : 'none (defaults; `runbook init` writes runbook.config.yaml)'}\n`);
  const width = Math.max(...rows.map(([key]) => key.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  for (const [key, value, source] of rows) process.stdout.write(`  ${key.padEnd(width)}  ${value.padEnd(valueWidth)}  (${source})\n`);
  return EXIT_OK;
}

/** The agents entry as used: off, configured, or the default (used only when it exists). */
function agentsValue(config: CliConfig): string {
  const { value } = config.agents;
  if (value === false) return 'false (no agents)';
  return agentsEntry(config) === undefined ? `${displayPath(value)} (absent: no agents)` : displayPath(value);
}
