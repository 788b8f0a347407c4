export { EditorPage } from './editor-page.tsx';
export { EditorListPage } from './editor-list-page.tsx';
