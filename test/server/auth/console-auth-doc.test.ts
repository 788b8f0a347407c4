/** docs/console-auth.md's configuration examples are valid runbook.config.yaml files, and its codes are the ones the code has. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ConfigSchema } from '../../../interpreter/config/config-format.ts';
import { ROOT } from '../../support/run-cli.ts';

const text = readFileSync(join(ROOT, 'docs/console-auth.md'), 'utf8');
const configs = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => parse(match[1]) as unknown);

test('every yaml example of docs/console-auth.md is a valid runbook.config.yaml with a console section', () => {
  assert.ok(configs.length >= 3, `found ${configs.length}`);
  for (const config of configs) {
    assert.ok(config && typeof config === 'object' && 'console' in config);
    const parsed = ConfigSchema.safeParse(config);
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues, null, 2));
  }
});

test('the sign-in failure codes of docs/console-auth.md are the codes of auth-error.ts', () => {
  const source = readFileSync(join(ROOT, 'interpreter/server/auth/auth-error.ts'), 'utf8');
  const documented = [...text.matchAll(/^\| `([A-Z_]+)` \| \d{3} \|/gm)].map((match) => match[1]);
  assert.ok(documented.length >= 5);
  for (const code of documented) assert.ok(source.includes(`'${code}'`), code);
  const signInCodes = [...source.matchAll(/\| '((?:LOGIN|OIDC)_[A-Z_]+)'/g)].map((match) => match[1]);
  assert.ok(signInCodes.length >= 6, `found ${signInCodes.length}`);
  assert.deepEqual(signInCodes.filter((code) => !documented.includes(code)), [], 'every sign-in code is in the table');
});
