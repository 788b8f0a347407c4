/**
 * Roles from the `console.roles` config: each role lists people (id or email), groups
 * (`group:NAME`) or `*` (anyone signed in). `operator` and `editor` each imply `viewer`.
 * Without a `roles` section, everyone signed in is viewer and operator, nobody is editor.
 */
import type { ConsoleRolesConfig } from '../../config/config-format.ts';
import type { Role } from '../console-api.ts';
import type { Person } from './person.ts';

export const ALL_ROLES: readonly Role[] = ['viewer', 'operator', 'editor'];

/** The roles of a console whose config has no `roles` section. */
export const DEFAULT_ROLES: readonly Role[] = ['viewer', 'operator'];

/** Roles that come with a role. */
const IMPLIES: Readonly<Record<Role, readonly Role[]>> = { viewer: [], operator: ['viewer'], editor: ['viewer'] };

const GROUP_PREFIX = 'group:';

/** Whether one `roles` entry names this person. Ids and groups compare exactly, emails without case. */
export function entryMatches(entry: string, person: Person): boolean {
  const wanted = entry.trim();
  if (wanted === '*') return true;
  if (wanted.startsWith(GROUP_PREFIX)) return person.groups.includes(wanted.slice(GROUP_PREFIX.length).trim());
  if (wanted === person.id) return true;
  return person.email !== null && wanted.toLowerCase() === person.email.toLowerCase();
}

/** The roles a person has under a `roles` config (undefined: the default), in the order viewer, operator, editor. */
export function rolesFor(person: Person, roles: ConsoleRolesConfig | undefined): Role[] {
  if (roles === undefined) return [...DEFAULT_ROLES];
  const granted = new Set<Role>();
  for (const role of ALL_ROLES) {
    if ((roles[role] ?? []).some((entry) => entryMatches(entry, person))) {
      granted.add(role);
      for (const implied of IMPLIES[role]) granted.add(implied);
    }
  }
  return ALL_ROLES.filter((role) => granted.has(role));
}

/** Whether `roles` grants `role` (implications already applied by rolesFor). */
export function hasRole(roles: readonly Role[], role: Role): boolean {
  return roles.includes(role);
}

/** The groups named anywhere in a `roles` config: the ones worth keeping in a size-limited session cookie. */
export function groupsNamedIn(roles: ConsoleRolesConfig | undefined): Set<string> {
  const named = new Set<string>();
  for (const role of ALL_ROLES) {
    for (const entry of roles?.[role] ?? []) if (entry.trim().startsWith(GROUP_PREFIX)) named.add(entry.trim().slice(GROUP_PREFIX.length).trim());
  }
  return named;
}
