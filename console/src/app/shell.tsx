/**
 * The frame of every page: the product name, the navigation, where runs live (the runtime label,
 * prominent when runs end with this console), and the signed-in person with sign-out.
 */
import type { ReactNode } from 'react';
import { Inbox, ListChecks, LogOut, Play, TriangleAlert, Database, PencilRuler } from 'lucide-react';
import type { MeResponse, Role } from '../shared/api/index.ts';
import { Link } from '../shared/router.tsx';
import type { Route } from './routes.tsx';

const NAV: ReadonlyArray<{ section: Route['section']; to: string; label: string; icon: typeof Inbox; role?: Role }> = [
  { section: 'inbox', to: '/', label: 'Inbox', icon: Inbox },
  { section: 'runs', to: '/runs', label: 'Runs', icon: ListChecks },
  { section: 'start', to: '/start', label: 'Start a run', icon: Play },
  { section: 'editor', to: '/editor', label: 'Editor', icon: PencilRuler, role: 'editor' },
];

function SignOut({ me }: { readonly me: MeResponse }) {
  if (!me.logout_url) return null;
  return (
    <form method="post" action={me.logout_url} className="sign-out">
      <input type="hidden" name="csrf_token" value={me.csrf_token} />
      <button type="submit" className="button button-header" data-testid="sign-out">
        <LogOut size={16} aria-hidden="true" /> Sign out
      </button>
    </form>
  );
}

export function Shell({ me, section, children }: { readonly me: MeResponse; readonly section: Route['section'] | null; readonly children: ReactNode }) {
  const inProcess = me.runtime.kind === 'in-process';
  return (
    <>
      <a href="#main" className="skip-link">Skip to content</a>
      <header className="app-header">
        <div className="header-inner">
          <Link to="/" className="brand">Runbook console</Link>
          <nav aria-label="Main">
            <ul className="nav">
              {NAV.filter((entry) => !entry.role || me.roles.includes(entry.role)).map(({ section: s, to, label, icon: Icon }) => (
                <li key={s}>
                  <Link to={to} className="nav-link" aria-current={s === section ? 'page' : undefined} data-testid={`nav-${s}`}>
                    <Icon size={16} aria-hidden="true" /> {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who" data-testid="signed-in">
            <span className="who-name">{me.user.name}</span>
            <span className="who-roles">{me.roles.length ? me.roles.join(', ') : 'no role'}</span>
          </div>
          <SignOut me={me} />
        </div>
        <div className={inProcess ? 'runtime runtime-ephemeral' : 'runtime runtime-durable'} data-testid="runtime-label" data-runtime={me.runtime.kind}>
          <div className="header-inner">
            {inProcess ? <TriangleAlert size={16} aria-hidden="true" /> : <Database size={16} aria-hidden="true" />}
            <span>{me.runtime.label}</span>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
