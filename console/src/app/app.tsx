/** The app: who is signed in (GET /api/me, which also gives the CSRF token), then the routed page in the shell. */
import { Suspense, useEffect, useRef } from 'react';
import { api, setCsrfToken } from '../shared/api/index.ts';
import { useResource } from '../shared/hooks.ts';
import { matchPath, useLocation } from '../shared/router.tsx';
import { SessionContext } from '../shared/session.tsx';
import { ErrorNotice } from '../shared/ui/error-notice.tsx';
import { ROUTES } from './routes.tsx';
import { Shell } from './shell.tsx';

function NotFound({ path }: { readonly path: string }) {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>Nothing lives at <code>{path}</code>. Go to the <a href="/">inbox</a>.</p>
    </section>
  );
}

export function App() {
  const me = useResource('me', async () => {
    const answer = await api.me();
    setCsrfToken(answer.csrf_token);
    return answer;
  });
  const { pathname } = useLocation();
  const main = useRef<string>(pathname);
  // After a navigation, focus moves to the new page (screen readers hear it; keyboard starts there).
  useEffect(() => {
    if (main.current === pathname) return;
    main.current = pathname;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
  const section = me.data ? ROUTES.find((route) => matchPath(route.pattern, pathname))?.section : undefined;
  useEffect(() => {
    const name = section === 'inbox' ? 'Inbox' : section === 'runs' ? 'Runs' : section === 'start' ? 'Start a run' : section === 'editor' ? 'Editor' : 'Runbook console';
    document.title = `${name} · Runbook console`;
  }, [section, pathname]);
  if (!me.data) {
    return (
      <main id="main" className="page">
        <h1>Runbook console</h1>
        {me.error ? <ErrorNotice error={me.error} title="The console could not say who you are" /> : <p role="status">Loading…</p>}
      </main>
    );
  }
  let found: { route: (typeof ROUTES)[number]; params: Record<string, string> } | null = null;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, pathname);
    if (params) {
      found = { route, params };
      break;
    }
  }
  return (
    <SessionContext.Provider value={me.data}>
      <Shell me={me.data} section={found?.route.section ?? null}>
        <Suspense fallback={<p className="page" role="status">Loading…</p>}>
          {found ? found.route.render(found.params) : <NotFound path={pathname} />}
        </Suspense>
      </Shell>
    </SessionContext.Provider>
  );
}
