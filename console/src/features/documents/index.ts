export { RunDocumentsSection, type RunDocumentsSectionProps } from './run-documents.tsx';
export { DocumentPage } from './document-page.tsx';
