export { RunbookListPage, StartPage, type StartPageProps } from './start-page.tsx';
