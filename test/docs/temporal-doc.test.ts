/**
 * docs/temporal.md's "Production connections" is true as written: every runbook.config.yaml
 * example is valid and means what the text says, and every environment variable of its table is
 * the one the configuration reads.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveProjectConfig, type ProjectConfig } from '../../interpreter/config/index.ts';
import { ROOT } from '../support/run-cli.ts';

const doc = readFileSync(join(ROOT, 'docs/temporal.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Production connections'));
const scratch = mkdtempSync(join(tmpdir(), 'runbook-temporal-doc-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const configExamples = [...section.matchAll(/^```yaml\n# runbook\.config\.yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);

function resolve(text: string, env: Record<string, string> = {}): ProjectConfig {
  const dir = mkdtempSync(join(scratch, 'example-'));
  writeFileSync(join(dir, 'runbook.config.yaml'), text);
  return resolveProjectConfig({ cwd: dir, env });
}

test('the section has its five config examples, each valid', () => {
  assert.equal(configExamples.length, 5, 'Cloud API key, mTLS, self-hosted TLS, worker tuning, tracing');
  for (const example of configExamples) resolve(example);
});

test('the Cloud example reads the key from the variable it names and so turns TLS on', () => {
  const { temporal } = resolve(configExamples[0]!, { ACME_TEMPORAL_API_KEY: 'k' });
  assert.equal(temporal.apiKey.env.value, 'ACME_TEMPORAL_API_KEY');
  assert.equal(temporal.apiKey.value, 'k');
  assert.equal(temporal.tls.enabled.value, null, 'auto: on because of the key');
});

test('the mTLS and self-hosted examples set the files and the server name', () => {
  const mtls = resolve(configExamples[1]!).temporal.tls;
  assert.equal(mtls.clientCertPath.value, '/run/secrets/temporal/client.pem');
  assert.equal(mtls.clientKeyPath.value, '/run/secrets/temporal/client.key');
  const selfHosted = resolve(configExamples[2]!);
  assert.equal(selfHosted.temporal.tls.serverCaCertPath.value, join(selfHosted.root, 'certs/internal-ca.pem'), 'relative to the config file');
  assert.equal(selfHosted.temporal.tls.serverName.value, 'temporal.internal.acme.example');
});

test('the worker example sets what its comments say', () => {
  const { worker } = resolve(configExamples[3]!);
  assert.equal(worker.maxConcurrentActivities.value, 100);
  assert.equal(worker.maxCachedWorkflows.value, 1000);
  assert.equal(worker.shutdownGraceTime.value, '30s');
  assert.deepEqual([worker.metrics.port.value, worker.metrics.host.value, worker.health.port.value], [9464, '0.0.0.0', 8080]);
  const defaults = resolve('{}\n').worker;
  assert.deepEqual([defaults.maxConcurrentActivities.value, defaults.maxConcurrentWorkflowTasks.value, defaults.shutdownGraceTime.value, defaults.metrics.host.value], [100, 40, '10s', '127.0.0.1']);
});

test('every environment variable of the table is read from the environment', () => {
  const names = [...section.matchAll(/\| `(TEMPORAL_[A-Z_]+)` \|/g)].map((match) => match[1]!);
  assert.ok(names.length >= 8, names.join(' '));
  const values: Record<string, string> = { TEMPORAL_TLS: 'true', TEMPORAL_ADDRESS: 'h:1' };
  for (const name of names) {
    const { temporal } = resolve('{}\n', { [name]: values[name] ?? 'value' });
    const sources = [temporal.address, temporal.namespace, ...Object.values(temporal.tls)].map((setting) => setting.source);
    if (name === 'TEMPORAL_API_KEY') assert.equal(temporal.apiKey.value, 'value');
    else assert.ok(sources.includes(`env ${name}`), `${name} is read`);
  }
});

test('the tracing example and table: the file sets what its comments say, every OTEL_ variable of the table is read', () => {
  const { tracing } = resolve(configExamples[4]!);
  assert.deepEqual([tracing.endpoint.value, tracing.protocol.value, tracing.serviceName.value], ['http://otel-collector:4318/v1/traces', 'http/json', 'close-worker']);
  const defaults = resolve('{}\n').tracing;
  assert.deepEqual([defaults.endpoint.value, defaults.protocol.value, defaults.serviceName.value], [null, 'http/protobuf', 'runbook']);
  const tracingSection = section.slice(section.indexOf('### Tracing'));
  const names = [...new Set([...tracingSection.matchAll(/`(OTEL_[A-Z_]+)(?:=[a-z]+)?`/g)].map((match) => match[1]!))].filter((name) => !/HEADERS|RESOURCE_ATTRIBUTES/.test(name));
  assert.ok(names.length >= 7, names.join(' '));
  const values: Record<string, string> = { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
  for (const name of names) {
    const { tracing: resolved } = resolve(configExamples[4]!, { [name]: values[name] ?? 'value' });
    assert.ok(Object.values(resolved).some((setting) => setting.source === `env ${name}`), `${name} is read`);
  }
});
