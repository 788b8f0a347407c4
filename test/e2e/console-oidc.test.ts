/**
 * The console's built-in OpenID Connect sign-in in Chromium, against a real OpenID provider
 * (`oidc-provider`, started here): a browser that is not signed in is sent to the provider, signs
 * in at its form, comes back to the page it asked for with its name shown and the roles its groups
 * give; a person whose groups give no operator role gets no start button and a 403 from the API;
 * signing out ends the session.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve, type ServingProcess } from '../cli/console-process-helper.ts';
import { getTestBrowser, saveScreenshot } from '../support/browser.ts';
import { freePort, OIDC_TEST_SCOPES, startOidcProvider, type OidcProviderFixture } from '../support/oidc-provider.ts';
import { ROOT } from '../support/run-cli.ts';

let project: string;
let provider: OidcProviderFixture;
let consoleProcess: ServingProcess;
let base: string;

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    redirectUris: [`${base}/auth/callback`],
    users: [
      { id: 'ana', password: 'pw-ana', email: 'ana@acme.example', name: 'Ana Accountant', groups: ['accountants'] },
      { id: 'vic', password: 'pw-vic', email: 'vic@acme.example', name: 'Vic Viewer', groups: ['auditors'] },
    ],
  });
  project = mkdtempSync(join(tmpdir(), 'console-oidc-'));
  symlinkSync(join(ROOT, 'runbooks'), join(project, 'runbooks'));
  symlinkSync(join(ROOT, 'handlers'), join(project, 'handlers'));
  writeFileSync(
    join(project, 'runbook.config.yaml'),
    `console:
  public_url: ${base}
  auth:
    mode: oidc
    oidc:
      issuer: ${provider.issuer}
      client_id: ${provider.clientId}
      client_secret_env: TEST_OIDC_SECRET
      scopes: [${OIDC_TEST_SCOPES.join(', ')}]
  roles:
    viewer: ['*']
    operator: ['group:accountants']
`,
  );
  consoleProcess = await serve(['console', '--port', String(port)], {
    cwd: project,
    env: { ...process.env, TEMPORAL_ADDRESS: '', TEST_OIDC_SECRET: provider.clientSecret, RUNBOOK_CONSOLE_SESSION_SECRET: 'e2e-session-secret-0123456789abcdef', RUNBOOK_DATA_DIR: join(project, 'data') },
  });
});

after(async () => {
  if (consoleProcess) assert.equal(await consoleProcess.stop(), 0, consoleProcess.output());
  await provider?.stop();
  rmSync(project, { recursive: true, force: true });
});

async function signIn(user: string, password: string) {
  const browser = await getTestBrowser();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/runs`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/runs`);
  return { context, page };
}

test('a person signs in at the OpenID provider and comes back to the page they asked for, as an operator from their groups', async () => {
  const { context, page } = await signIn('ana', 'pw-ana');
  try {
    await page.getByText('Ana Accountant').first().waitFor();
    const me = (await (await page.request.get(`${base}/api/me`)).json()) as { user: { id: string }; roles: string[]; auth: string };
    assert.equal(me.auth, 'oidc');
    assert.deepEqual([...me.roles].sort(), ['operator', 'viewer']);
    await saveScreenshot(page, 'oidc-signed-in');
  } finally {
    await context.close();
  }
});

test('a viewer signed in by OIDC cannot start a run (no start button, 403 from the API)', async () => {
  const { context, page } = await signIn('vic', 'pw-vic');
  try {
    await page.goto(`${base}/start/month-end-close`);
    // The form renders (the page is loaded, not merely started), and it offers no start button.
    await page.getByTestId('start-blocked').waitFor();
    assert.equal(await page.getByTestId('start-submit').count(), 0);
    const me = (await (await page.request.get(`${base}/api/me`)).json()) as { csrf_token: string; roles: string[] };
    assert.deepEqual(me.roles, ['viewer']);
    const response = await page.request.post(`${base}/api/runs`, { headers: { 'x-csrf-token': me.csrf_token }, data: { runbook: 'month-end-close', input: {} } });
    assert.equal(response.status(), 403);
  } finally {
    await context.close();
  }
});

test('the API refuses a browser that is not signed in, and a wrong password stays at the provider', async () => {
  const browser = await getTestBrowser();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.request.get(`${base}/api/inbox`);
    assert.equal(response.status(), 401);
    await page.goto(`${base}/`);
    await page.getByLabel('Username').fill('ana');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.ok(!page.url().startsWith(base), page.url());
  } finally {
    await context.close();
  }
});
