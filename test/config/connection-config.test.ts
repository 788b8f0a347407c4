/**
 * The connection and worker settings of runbook.config.yaml: TLS files relative to the config
 * file, the Temporal CLI's environment variables over the file and flags over both, the API key
 * read from the variable the file names (and never shown), the worker: section with its
 * defaults, as the SDK takes it, and the /healthz endpoint.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EnvironmentConfigError, resolveProjectConfig } from '../../interpreter/config/index.ts';
import { workerTuning } from '../../interpreter/cli/worker-support.ts';
import { serveHealth } from '../../interpreter/cli/worker-health.ts';
import { runCli } from '../support/run-cli.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(config: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-conn-config-'));
  dirs.push(dir);
  await writeFile(join(dir, 'runbook.config.yaml'), config);
  return dir;
}

const CONFIG = `temporal:
  address: acme.a1b2c.tmprl.cloud:7233
  namespace: acme.a1b2c
  api_key_env: ACME_TEMPORAL_KEY
  tls:
    server_ca_cert_path: certs/ca.pem
    server_name: acme.a1b2c.tmprl.cloud
    client_cert_path: certs/client.pem
    client_key_path: /run/secrets/client.key
worker:
  max_concurrent_activities: 20
  max_concurrent_workflow_tasks: 10
  max_cached_workflows: 500
  shutdown_grace_time: 30s
  metrics: { port: 9464, host: 0.0.0.0 }
  health: { port: 8080 }
`;

test('TLS paths in the file are relative to it; the API key comes from the variable it names', async () => {
  const root = await project(CONFIG);
  const { temporal } = resolveProjectConfig({ cwd: root, env: { ACME_TEMPORAL_KEY: 'secret' } });
  assert.equal(temporal.tls.serverCaCertPath.value, join(root, 'certs', 'ca.pem'));
  assert.equal(temporal.tls.serverCaCertPath.source, 'runbook.config.yaml:6');
  assert.equal(temporal.tls.clientKeyPath.value, '/run/secrets/client.key');
  assert.equal(temporal.tls.serverName.value, 'acme.a1b2c.tmprl.cloud');
  assert.equal(temporal.tls.enabled.value, true, 'a tls: section turns TLS on');
  assert.deepEqual(temporal.apiKey, { env: { value: 'ACME_TEMPORAL_KEY', source: 'runbook.config.yaml:4' }, value: 'secret' });
});

test('the Temporal CLI\'s variables win over the file, and flags over both; without a config the defaults are off', async () => {
  const root = await project(CONFIG);
  const env = { TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'env-ca.pem', TEMPORAL_TLS_SERVER_NAME: 'env.example', TEMPORAL_TLS: 'false' };
  const { temporal } = resolveProjectConfig({ cwd: root, env, flags: { tlsServerName: 'flag.example' } });
  assert.deepEqual(temporal.tls.serverCaCertPath, { value: join(root, 'env-ca.pem'), source: 'env TEMPORAL_TLS_SERVER_CA_CERT_PATH' });
  assert.deepEqual(temporal.tls.serverName, { value: 'flag.example', source: 'flag --tls-server-name' });
  assert.deepEqual(temporal.tls.enabled, { value: false, source: 'env TEMPORAL_TLS' });

  const bare = resolveProjectConfig({ cwd: await mkdtemp(join(tmpdir(), 'runbook-conn-none-')), env: { TEMPORAL_API_KEY: 'k' } });
  dirs.push(bare.root);
  assert.equal(bare.temporal.tls.enabled.value, null, 'auto: on with an API key, else off');
  assert.deepEqual(bare.temporal.apiKey, { env: { value: 'TEMPORAL_API_KEY', source: 'default' }, value: 'k' });
  assert.equal(bare.worker.maxConcurrentActivities.value, 100);
  assert.equal(bare.worker.maxConcurrentWorkflowTasks.value, 40);
  assert.equal(bare.worker.maxCachedWorkflows.value, null);
  assert.equal(bare.worker.shutdownGraceTime.value, '10s');
  assert.equal(bare.worker.metrics.port.value, null);
  assert.equal(bare.worker.health.port.value, null);
});

test('a TEMPORAL_TLS that is not a boolean is CONFIG_INVALID naming the variable', async () => {
  const root = await project('temporal: {}\n');
  assert.throws(() => resolveProjectConfig({ cwd: root, env: { TEMPORAL_TLS: 'sometimes' } }), (error: unknown) => {
    assert.ok(error instanceof EnvironmentConfigError);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, /^env TEMPORAL_TLS: CONFIG_INVALID: expected true or false/);
    return true;
  });
});

test('the API key itself in the file, a bad duration or port, an unknown worker key: CONFIG_INVALID at the line', async () => {
  const cases: [string, number, RegExp][] = [
    ['temporal:\n  api_key: abc\n', 2, /api_key: the API key is a secret.*environment variable/],
    ['temporal:\n  api_key_env: "my key"\n', 2, /an environment variable name/],
    ['worker:\n  shutdown_grace_time: soon\n', 2, /a duration such as 500ms, 30s/],
    ['worker:\n  metrics: { port: 70000 }\n', 2, /metrics\.port/],
    ['worker:\n  max_concurent_activities: 3\n', 2, /did you mean "max_concurrent_activities"/],
    ['temporal:\n  tls:\n    ca: x.pem\n', 3, /known keys: server_ca_cert_path/],
  ];
  for (const [text, line, message] of cases) {
    const root = await project(text);
    assert.throws(() => resolveProjectConfig({ cwd: root, env: {} }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, text);
      assert.equal(error.line, line, `${text}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('the worker: section becomes the SDK\'s worker options', async () => {
  const root = await project(CONFIG);
  const { worker } = resolveProjectConfig({ cwd: root, env: {} });
  assert.deepEqual(workerTuning(worker), { maxConcurrentActivityTaskExecutions: 20, maxConcurrentWorkflowTaskExecutions: 10, maxCachedWorkflows: 500, shutdownGraceTime: '30s' });
  assert.equal(worker.metrics.host.value, '0.0.0.0');
  assert.equal(worker.health.host.value, '127.0.0.1');
});

test('runbook config shows TLS, the API key as set but never its value, and the worker settings with their sources', async () => {
  const root = await project(CONFIG);
  const result = await runCli(['config'], { cwd: root, env: { ...process.env, ACME_TEMPORAL_KEY: 'sk-very-secret', TEMPORAL_ADDRESS: '', TEMPORAL_TLS: '' } });
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stdout, /sk-very-secret/);
  assert.match(result.stdout, /temporal\.api_key\s+set \(ACME_TEMPORAL_KEY, redacted\)\s+\(env ACME_TEMPORAL_KEY\)/);
  assert.match(result.stdout, /temporal\.tls\.server_ca_cert_path\s+certs\/ca\.pem\s+\(runbook\.config\.yaml:6\)/);
  assert.match(result.stdout, /worker\.max_concurrent_activities\s+20\s+\(runbook\.config\.yaml:11\)/);
  assert.match(result.stdout, /worker\.shutdown_grace_time\s+30s/);
  assert.match(result.stdout, /worker\.metrics\s+http:\/\/0\.0\.0\.0:9464\/metrics/);
  assert.match(result.stdout, /worker\.health\s+http:\/\/127\.0\.0\.1:8080\/healthz/);
  const json = await runCli(['config', '--format', 'json'], { cwd: root, env: { ...process.env, ACME_TEMPORAL_KEY: 'sk-very-secret', TEMPORAL_ADDRESS: '', TEMPORAL_TLS: '' } });
  assert.doesNotMatch(json.stdout, /sk-very-secret/);
  const unset = await runCli(['config'], { cwd: root, env: { ...process.env, ACME_TEMPORAL_KEY: '', TEMPORAL_ADDRESS: '', TEMPORAL_TLS: '' } });
  assert.match(unset.stdout, /temporal\.api_key\s+unset \(ACME_TEMPORAL_KEY\)/);
});

test('/healthz answers 200 while the worker runs and 503 with its state otherwise; other paths 404', async () => {
  let state = 'INITIALIZED';
  const health = await serveHealth('127.0.0.1', 0, () => state);
  try {
    const starting = await fetch(health.url);
    assert.equal(starting.status, 503);
    assert.deepEqual(await starting.json(), { status: 'INITIALIZED' });
    state = 'RUNNING';
    assert.equal((await fetch(health.url)).status, 200);
    state = 'STOPPING';
    assert.equal((await fetch(health.url)).status, 503);
    assert.equal((await fetch(health.url.replace('/healthz', '/'))).status, 404);
    assert.equal((await fetch(health.url, { method: 'POST' })).status, 405);
  } finally {
    await health.close();
  }
  // A port in use is a clear error with its code.
  const first = await serveHealth('127.0.0.1', 0, () => 'RUNNING');
  try {
    const port = Number(new URL(first.url).port);
    await assert.rejects(serveHealth('127.0.0.1', port, () => 'RUNNING'), /^Error: HEALTH_PORT_UNAVAILABLE: cannot serve \/healthz on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  } finally {
    await first.close();
  }
});
