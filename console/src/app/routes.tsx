/**
 * The routes. The inbox is in the first bundle; every other page loads on its own when first
 * visited (the run page brings the icons, rjsf and ajv come with the first form).
 *
 * The editor (`/editor`, `/editor/:slug`) is one more lazily loaded route: dnd-kit, CodeMirror and the
 * runbook schema come with it, never with the inbox; the shell shows its link to people with the editor role.
 */
import { lazy, type ReactNode } from 'react';
import { InboxPage } from '../features/inbox/index.ts';

const RunsPage = lazy(() => import('../features/runs/index.ts').then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => import('./run-route.tsx'));
const StartPage = lazy(() => import('./start-route.tsx'));
const RunbookListPage = lazy(() => import('../features/start-run/index.ts').then((m) => ({ default: m.RunbookListPage })));
const EditorPage = lazy(() => import('../features/editor/index.ts').then((m) => ({ default: m.EditorPage })));
const EditorListPage = lazy(() => import('../features/editor/index.ts').then((m) => ({ default: m.EditorListPage })));
const DocumentPage = lazy(() => import('../features/documents/index.ts').then((m) => ({ default: m.DocumentPage })));

export interface Route {
  readonly pattern: string;
  /** The navigation entry this page belongs to. */
  readonly section: 'inbox' | 'runs' | 'start' | 'editor';
  readonly render: (params: Readonly<Record<string, string>>) => ReactNode;
}

export const ROUTES: readonly Route[] = [
  { pattern: '/', section: 'inbox', render: () => <InboxPage /> },
  { pattern: '/runs', section: 'runs', render: () => <RunsPage /> },
  { pattern: '/runs/:id', section: 'runs', render: ({ id = '' }) => <RunPage key={id} runId={id} /> },
  // Every version of one document key (`?key.<field>=<value>...`), reached from a run page's committed documents.
  { pattern: '/documents/:name', section: 'runs', render: ({ name = '' }) => <DocumentPage key={name} name={name} /> },
  { pattern: '/start', section: 'start', render: () => <RunbookListPage /> },
  { pattern: '/start/:slug', section: 'start', render: ({ slug = '' }) => <StartPage key={slug} slug={slug} /> },
  { pattern: '/editor', section: 'editor', render: () => <EditorListPage /> },
  { pattern: '/editor/:slug', section: 'editor', render: ({ slug = '' }) => <EditorPage key={slug} slug={slug} /> },
];
