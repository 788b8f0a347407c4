export { RunPage, type RunPageProps } from './run-page.tsx';
