/**
 * The routes. The inbox is in the first bundle; every other page loads on its own when first
 * visited (the run page brings the icons, rjsf and ajv come with the first form).
 *
 * The editor (a later issue) plugs in here as one more lazily loaded route:
 *   { pattern: '/editor/:slug', render: ({ slug }) => <EditorPage slug={slug} /> }
 * with `const EditorPage = lazy(() => import('../features/editor/index.ts').then(m => ({ default: m.EditorPage })))`,
 * and a link in the shell's navigation for people with the editor role.
 */
import { lazy, type ReactNode } from 'react';
import { InboxPage } from '../features/inbox/index.ts';

const RunsPage = lazy(() => import('../features/runs/index.ts').then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => import('./run-route.tsx'));
const StartPage = lazy(() => import('../features/start-run/index.ts').then((m) => ({ default: m.StartPage })));
const RunbookListPage = lazy(() => import('../features/start-run/index.ts').then((m) => ({ default: m.RunbookListPage })));

export interface Route {
  readonly pattern: string;
  /** The navigation entry this page belongs to. */
  readonly section: 'inbox' | 'runs' | 'start';
  readonly render: (params: Readonly<Record<string, string>>) => ReactNode;
}

export const ROUTES: readonly Route[] = [
  { pattern: '/', section: 'inbox', render: () => <InboxPage /> },
  { pattern: '/runs', section: 'runs', render: () => <RunsPage /> },
  { pattern: '/runs/:id', section: 'runs', render: ({ id = '' }) => <RunPage key={id} runId={id} /> },
  { pattern: '/start', section: 'start', render: () => <RunbookListPage /> },
  { pattern: '/start/:slug', section: 'start', render: ({ slug = '' }) => <StartPage key={slug} slug={slug} /> },
];
