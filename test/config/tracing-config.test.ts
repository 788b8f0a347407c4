/**
 * The tracing settings: runbook.config.yaml's `tracing:` under the standard OTEL_* variables (the
 * traces endpoint as it is, the base endpoint with /v1/traces, OTEL_SDK_DISABLED and
 * OTEL_TRACES_EXPORTER=none turning it off), checked only when a command traces.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EnvironmentConfigError, resolveProjectConfig, tracesUrl } from '../../interpreter/config/index.ts';
import { tracingSettings } from '../../interpreter/cli/temporal-support.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(config: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-tracing-config-'));
  dirs.push(dir);
  await writeFile(join(dir, 'runbook.config.yaml'), config);
  return dir;
}

const FILE = `tracing:
  endpoint: http://otel-collector:4318
  protocol: http/json
  service_name: close-worker
`;

test('off by default; the file\'s endpoint is a base URL (/v1/traces added), with its line as the source', async () => {
  const none = resolveProjectConfig({ cwd: await project('{}\n'), env: {} });
  assert.deepEqual(none.tracing.endpoint, { value: null, source: 'default' });
  assert.deepEqual(none.tracing.protocol, { value: 'http/protobuf', source: 'default' });
  assert.deepEqual(none.tracing.serviceName, { value: 'runbook', source: 'default' });
  assert.equal(tracingSettings(none.tracing), undefined);

  const { tracing } = resolveProjectConfig({ cwd: await project(FILE), env: {} });
  assert.deepEqual(tracing.endpoint, { value: 'http://otel-collector:4318/v1/traces', source: 'runbook.config.yaml:2' });
  assert.deepEqual(tracing.protocol, { value: 'http/json', source: 'runbook.config.yaml:3' });
  assert.deepEqual(tracing.serviceName, { value: 'close-worker', source: 'runbook.config.yaml:4' });
  assert.deepEqual(tracingSettings(tracing), { url: 'http://otel-collector:4318/v1/traces', protocol: 'http/json', serviceName: 'close-worker' });
});

test('the OTEL_* variables win: the traces endpoint as it is, then the base endpoint; protocol and service name', async () => {
  const root = await project(FILE);
  const both = resolveProjectConfig({ cwd: root, env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://api.example.com/otlp/traces', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' } }).tracing;
  assert.deepEqual(both.endpoint, { value: 'https://api.example.com/otlp/traces', source: 'env OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' });
  const base = resolveProjectConfig({ cwd: root, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318/', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_SERVICE_NAME: 'svc' } }).tracing;
  assert.deepEqual(base.endpoint, { value: 'http://other:4318/v1/traces', source: 'env OTEL_EXPORTER_OTLP_ENDPOINT' });
  assert.deepEqual(base.protocol, { value: 'http/protobuf', source: 'env OTEL_EXPORTER_OTLP_PROTOCOL' });
  assert.deepEqual(base.serviceName, { value: 'svc', source: 'env OTEL_SERVICE_NAME' });
  const specific = resolveProjectConfig({ cwd: root, env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' } }).tracing;
  assert.deepEqual(specific.protocol, { value: 'http/json', source: 'env OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' });
  assert.equal(tracesUrl('http://c:4318/v1/traces'), 'http://c:4318/v1/traces');
  assert.equal(tracesUrl('http://c:4318/prefix'), 'http://c:4318/prefix/v1/traces');
});

test('OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn tracing off, whatever else is set', async () => {
  const root = await project(FILE);
  for (const [name, value] of [['OTEL_SDK_DISABLED', 'true'], ['OTEL_TRACES_EXPORTER', 'none']]) {
    const { tracing } = resolveProjectConfig({ cwd: root, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318', [name]: value } });
    assert.deepEqual(tracing.endpoint, { value: null, source: `env ${name}` });
    assert.equal(tracingSettings(tracing), undefined);
  }
  const notDisabled = resolveProjectConfig({ cwd: root, env: { OTEL_SDK_DISABLED: 'false' } }).tracing;
  assert.equal(notDisabled.endpoint.value, 'http://otel-collector:4318/v1/traces');
});

test('values that cannot work: the file\'s at their line, the environment\'s only when tracing is used, naming the variable', async () => {
  for (const [config, detail] of [
    ['tracing:\n  endpoint: otel-collector:4318\n', /:2:13: CONFIG_INVALID: tracing\.endpoint: an http:\/\/ or https:\/\/ URL/],
    ['tracing:\n  protocol: grpc\n', /:2:13: CONFIG_INVALID: tracing\.protocol: /],
    ['tracing:\n  endpont: http://c:4318\n', /:2:3: CONFIG_INVALID: tracing: .*"endpont" \(did you mean "endpoint"\?\)/],
  ] as const) {
    const root = await project(config);
    assert.throws(() => resolveProjectConfig({ cwd: root, env: {} }), (error: unknown) => error instanceof ConfigError && error.code === 'CONFIG_INVALID' && detail.test(error.message));
  }
  const root = await project('{}\n');
  // Resolving never throws for them (another program's variables must not stop `runbook validate`)...
  const grpc = resolveProjectConfig({ cwd: root, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } });
  const noUrl = resolveProjectConfig({ cwd: root, env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'c:4318' } });
  // ...a command that traces refuses them.
  assert.throws(() => tracingSettings(grpc.tracing), (error: unknown) => error instanceof EnvironmentConfigError && error.code === 'CONFIG_INVALID' && /^env OTEL_EXPORTER_OTLP_PROTOCOL: CONFIG_INVALID: .*gRPC is not supported/.test(error.message));
  assert.throws(() => tracingSettings(noUrl.tracing), (error: unknown) => error instanceof EnvironmentConfigError && /^env OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: CONFIG_INVALID: expected an http:\/\/ or https:\/\/ URL/.test(error.message));
  // Without an endpoint, a protocol alone is not looked at.
  assert.equal(tracingSettings(resolveProjectConfig({ cwd: root, env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } }).tracing), undefined);
});
