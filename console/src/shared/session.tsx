/**
 * The signed-in person (`GET /api/me`): who they are, their roles, where runs live, and the CSRF
 * token the API client sends back. Provided once by the app shell.
 */
import { createContext, useContext } from 'react';
import type { MeResponse, Role } from './api/index.ts';

export const SessionContext = createContext<MeResponse | null>(null);

export function useSession(): MeResponse {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession() outside the SessionContext provider (the app shell provides it)');
  return me;
}

export function hasRole(me: MeResponse, role: Role): boolean {
  return me.roles.includes(role);
}
