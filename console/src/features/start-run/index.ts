export { RunbookListPage, StartPage } from './start-page.tsx';
