/** Who is signed in to the console: the actor of every decision they make. */
export interface Person {
  /** Stable id: the actor recorded on `user_action` (OIDC `sub` or the configured claim; the proxy's user header). */
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly groups: readonly string[];
}

/** The one person of a console without sign-in (auth mode `none`, loopback only). */
export const ANONYMOUS: Person = Object.freeze({ id: 'anonymous', name: 'Anonymous', email: null, groups: Object.freeze([]) });

/** A person with the fields trimmed, empty groups dropped and duplicates removed. */
export function makePerson(id: string, name: string | null | undefined, email: string | null | undefined, groups: Iterable<string>): Person {
  const cleanGroups = [...new Set([...groups].map((group) => group.trim()).filter((group) => group.length > 0))];
  const cleanEmail = email?.trim() || null;
  return { id: id.trim(), name: name?.trim() || cleanEmail || id.trim(), email: cleanEmail, groups: cleanGroups };
}
