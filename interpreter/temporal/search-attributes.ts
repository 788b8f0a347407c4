/** Registers the interpreter's search attributes on a namespace (idempotent). Node side. */
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_TYPES, type SearchAttributeName } from './workflow-contract.ts';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
const INDEXED_TYPE = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

const NAMES = Object.keys(SEARCH_ATTRIBUTE_TYPES) as SearchAttributeName[];

/** For `temporal server start-dev --search-attribute`. */
export const DEV_SERVER_SEARCH_ATTRIBUTES: Record<string, string> = { ...SEARCH_ATTRIBUTE_TYPES };

/** The `temporal operator search-attribute create` commands that register them by hand (one per type). */
export function searchAttributeCreateCommands(namespace: string): string[] {
  return [...new Set(Object.values(SEARCH_ATTRIBUTE_TYPES))].map((type) => {
    const names = NAMES.filter((name) => SEARCH_ATTRIBUTE_TYPES[name] === type).map((name) => `--name ${name}`).join(' ');
    return `temporal operator search-attribute create --namespace ${namespace} --type ${type} ${names}`;
  });
}

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = NAMES.filter((name) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, INDEXED_TYPE[SEARCH_ATTRIBUTE_TYPES[name]]])),
  });
}
