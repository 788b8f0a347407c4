/** Registers the interpreter's search attributes on a namespace (idempotent). Node side. */
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
import { SEARCH_ATTRIBUTES } from './workflow-contract.ts';

/** For `temporal server start-dev --search-attribute`. */
export const DEV_SERVER_SEARCH_ATTRIBUTES: Record<string, string> = Object.fromEntries(
  Object.values(SEARCH_ATTRIBUTES).map((name) => [name, 'Keyword']),
);

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.values(SEARCH_ATTRIBUTES).filter((name) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
  });
}
