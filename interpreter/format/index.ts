export * from './runbook-format.ts';
export { buildRunbookJsonSchema, RUNBOOK_SCHEMA_ID } from './json-schema.ts';
