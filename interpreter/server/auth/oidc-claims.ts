/**
 * The person in an OpenID provider's claims (ID token merged with userinfo): the id from
 * `user_claim` (default `sub`), the name from `name` / `preferred_username`, the email, and
 * the groups from `groups_claim` (default `groups`; an array, or one comma- or space-separated
 * string, as some providers send).
 */
import { AuthError } from './auth-error.ts';
import { makePerson, type Person } from './person.ts';

export const DEFAULT_USER_CLAIM = 'sub';
export const DEFAULT_GROUPS_CLAIM = 'groups';

export type Claims = Readonly<Record<string, unknown>>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** The groups in a claim value: strings of an array, or a comma/space-separated string. */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'string' ? [item] : typeof item === 'number' ? [String(item)] : []));
  if (typeof value === 'string') return value.split(/[,\s]+/);
  return [];
}

/** The person the claims describe; LOGIN_CLAIMS_INVALID when the user claim is missing. */
export function personFromClaims(claims: Claims, userClaim: string = DEFAULT_USER_CLAIM, groupsClaim: string = DEFAULT_GROUPS_CLAIM): Person {
  const id = text(claims[userClaim]);
  if (id === undefined) {
    throw new AuthError('LOGIN_CLAIMS_INVALID', `the provider's answer has no "${userClaim}" claim to identify the person (console.auth.oidc.user_claim)`, 502);
  }
  const name = text(claims.name) ?? text(claims.preferred_username);
  return makePerson(id, name, text(claims.email), groupsOf(claims[groupsClaim]));
}
