/** Roles from `console.roles`: people by id or email, groups, `*`, implications and the default. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_ROLES, createConsoleAuth, DEFAULT_ROLES, hasRole, rolesFor, type Person } from '../../../interpreter/server/auth/index.ts';

const ana: Person = { id: 'u-ana', name: 'Ana', email: 'Ana@Acme.example', groups: ['accountants'] };
const bob: Person = { id: 'bob', name: 'Bob', email: null, groups: ['runbook-authors', 'staff'] };
const eve: Person = { id: 'eve', name: 'Eve', email: 'eve@elsewhere.example', groups: [] };

const roles = { viewer: ['*'], operator: ['ana@acme.example', 'group:accountants'], editor: ['group:runbook-authors'] };

test('without a roles section everyone signed in is viewer and operator, nobody editor', () => {
  assert.deepEqual(rolesFor(eve, undefined), ['viewer', 'operator']);
  assert.deepEqual(DEFAULT_ROLES, ['viewer', 'operator']);
});

test('people match by id or by email (without case), groups by group:NAME, * matches anyone', () => {
  assert.deepEqual(rolesFor(ana, roles), ['viewer', 'operator']);
  assert.deepEqual(rolesFor(bob, roles), ['viewer', 'editor']);
  assert.deepEqual(rolesFor(eve, roles), ['viewer']);
  assert.deepEqual(rolesFor(ana, { operator: ['u-ana'] }), ['viewer', 'operator'], 'by id');
  assert.deepEqual(rolesFor(ana, { operator: ['U-ANA'] }), [], 'ids compare exactly');
  assert.deepEqual(rolesFor(bob, { viewer: ['group:Staff'] }), [], 'groups compare exactly');
});

test('operator and editor each imply viewer; a role nobody is listed for is nobody\'s', () => {
  assert.deepEqual(rolesFor(bob, { editor: ['bob'] }), ['viewer', 'editor']);
  assert.deepEqual(rolesFor(ana, { operator: ['group:accountants'] }), ['viewer', 'operator']);
  assert.deepEqual(rolesFor(eve, { operator: ['ana@acme.example'] }), [], 'a roles section without viewer: others have no role');
  assert.deepEqual(rolesFor(eve, {}), []);
  assert.ok(hasRole(rolesFor(ana, roles), 'operator'));
  assert.ok(!hasRole(rolesFor(ana, roles), 'editor'));
});

test('mode none: the anonymous person has every role, whatever roles says', async () => {
  const auth = await createConsoleAuth({ roles: { viewer: ['nobody'] } }, { baseUrl: 'http://127.0.0.1:4600', env: {} });
  assert.equal(auth.mode, 'none');
  const person = await auth.authenticate({ headers: {} } as never);
  assert.equal(person?.id, 'anonymous');
  assert.deepEqual(auth.rolesOf(person!), [...ALL_ROLES]);
  assert.equal(auth.loginUrl('/'), undefined);
});

test('mode proxy maps its people through roles', async () => {
  const auth = await createConsoleAuth({ auth: { mode: 'proxy', session_secret_env: 'S' }, roles }, { baseUrl: 'http://127.0.0.1:4600', env: { S: 'x'.repeat(40) } });
  assert.deepEqual(auth.rolesOf(bob), ['viewer', 'editor']);
});
