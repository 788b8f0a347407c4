export { ApiRequestError, apiErrorOf, setCsrfToken } from './api-client.ts';
export { api, documentKeyQuery, type InboxQuery } from './endpoints.ts';
export type * from './types.ts';
export { editorApi } from './editor-endpoints.ts';
