/**
 * Generates schema/runbook.schema.json from the zod source of truth.
 * `npm run gen:schema` writes it; `--check` exits 1 if the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRunbookJsonSchema } from '../interpreter/format/json-schema.ts';

const target = fileURLToPath(new URL('../schema/runbook.schema.json', import.meta.url));
const text = JSON.stringify(buildRunbookJsonSchema(), null, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('schema/runbook.schema.json is stale: run `npm run gen:schema`');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
