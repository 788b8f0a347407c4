/** Where a document key's page is: `/documents/closing_trial_balance?key.entity=acme-uk&key.period=2025-01`. */
import { documentKeyQuery, type DocumentKeyValue } from '../../shared/api/index.ts';
import { humanize } from '../../shared/format.ts';

export function documentPath(document: string, key: Readonly<Record<string, DocumentKeyValue>>): string {
  return `/documents/${encodeURIComponent(document)}?${documentKeyQuery(key)}`;
}

/** The key of a document page's query (`key.<field>` parameters; the server types the values as committed). */
export function keyOfSearch(search: URLSearchParams): Record<string, string> {
  const key: Record<string, string> = {};
  for (const [param, value] of search) if (param.startsWith('key.')) key[param.slice(4)] = value;
  return key;
}

/** `closing_trial_balance` → `Closing trial balance`. */
export const humanDocumentName = (document: string): string => humanize(document);
