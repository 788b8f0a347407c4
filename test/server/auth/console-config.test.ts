/** The `console:` section of runbook.config.yaml: its shape, checks with located errors, and the resolved port and host. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, DEFAULT_CONSOLE_HOST, DEFAULT_CONSOLE_PORT, resolveProjectConfig } from '../../../interpreter/config/index.ts';
import { buildConfigJsonSchema } from '../../../interpreter/config/config-format.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(config: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-console-config-'));
  dirs.push(dir);
  await writeFile(join(dir, 'runbook.config.yaml'), config);
  return dir;
}

const OIDC_CONFIG = `runbooks: runbooks
console:
  port: 8080
  host: 0.0.0.0
  public_url: https://runbooks.acme.example
  auth:
    mode: oidc
    oidc:
      issuer: https://login.acme.example/realms/finance
      client_id: runbook-console
      client_secret_env: RUNBOOK_CONSOLE_OIDC_CLIENT_SECRET
      groups_claim: groups
    session_hours: 12
  roles:
    viewer: ['*']
    operator: [ana@acme.example, 'group:accountants']
    editor: ['group:runbook-authors']
`;

test('the console section resolves: port and host with their sources, auth and roles as written', async () => {
  const root = await project(OIDC_CONFIG);
  const config = resolveProjectConfig({ cwd: root, env: {} });
  assert.equal(config.console.port.value, 8080);
  assert.match(config.console.port.source, /runbook\.config\.yaml:3$/);
  assert.equal(config.console.host.value, '0.0.0.0');
  assert.equal(config.console.settings.auth?.mode, 'oidc');
  assert.equal(config.console.settings.auth?.oidc?.client_secret_env, 'RUNBOOK_CONSOLE_OIDC_CLIENT_SECRET');
  assert.deepEqual(config.console.settings.roles?.operator, ['ana@acme.example', 'group:accountants']);
  const flagged = resolveProjectConfig({ cwd: root, env: {}, flags: { consolePort: 9000, consoleHost: '127.0.0.1' } });
  assert.deepEqual([flagged.console.port.value, flagged.console.port.source], [9000, 'flag --port']);
  assert.deepEqual([flagged.console.host.value, flagged.console.host.source], ['127.0.0.1', 'flag --host']);
});

test('without a console section: 127.0.0.1:4600, no auth settings', async () => {
  const config = resolveProjectConfig({ cwd: await project('runbooks: runbooks\n'), env: {} });
  assert.deepEqual([config.console.port.value, config.console.host.value, config.console.port.source], [DEFAULT_CONSOLE_PORT, DEFAULT_CONSOLE_HOST, 'default']);
  assert.deepEqual(config.console.settings, {});
});

async function configError(text: string): Promise<ConfigError> {
  const root = await project(text);
  try {
    resolveProjectConfig({ cwd: root, env: {} });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected CONFIG_INVALID');
}

test('a secret written into the file is refused: client_secret is not a key (did you mean client_secret_env?)', async () => {
  const error = await configError('console:\n  auth:\n    mode: oidc\n    oidc:\n      issuer: https://login.acme.example\n      client_id: c\n      client_secret: hunter2\n');
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.equal(error.line, 7);
  assert.match(error.detail, /client_secret_env/);
});

test('console errors are located: a bad mode, oidc without its section, a bad env var name, a bad role entry, a bad port', async () => {
  const mode = await configError('console:\n  auth:\n    mode: ldap\n');
  assert.equal(mode.line, 3);
  assert.match(mode.detail, /console\.auth\.mode/);
  const oidc = await configError('console:\n  auth:\n    mode: oidc\n');
  assert.match(oidc.detail, /oidc section/);
  const envName = await configError('console:\n  auth:\n    session_secret_env: "not a name"\n');
  assert.match(envName.detail, /environment variable name/);
  const role = await configError("console:\n  roles:\n    operator: ['group:']\n");
  assert.match(role.detail, /group:NAME/);
  const port = await configError('console:\n  port: 70000\n');
  assert.equal(port.line, 2);
  const key = await configError('console:\n  auth:\n    proxy:\n      user_heder: x-user\n');
  assert.equal(key.line, 4);
  assert.match(key.detail, /did you mean "user_header"/);
});

test('the config JSON Schema documents the console section', () => {
  const schema = buildConfigJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown>; description?: string }> };
  const consoleSchema = schema.properties.console;
  assert.ok(consoleSchema?.properties && ['port', 'host', 'public_url', 'auth', 'roles'].every((key) => key in (consoleSchema.properties ?? {})));
  assert.match(JSON.stringify(consoleSchema), /RUNBOOK_CONSOLE_SESSION_SECRET/);
});
