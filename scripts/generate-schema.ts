/**
 * Generates the published JSON Schemas from their zod sources of truth:
 * schema/runbook.schema.json (the runbook format) and schema/runbook-config.schema.json
 * (runbook.config.yaml). `npm run gen:schema` writes them; `--check` exits 1 if one is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildConfigJsonSchema } from '../interpreter/config/config-format.ts';
import { buildRunbookJsonSchema } from '../interpreter/format/json-schema.ts';

const SCHEMAS: [string, () => unknown][] = [
  ['../schema/runbook.schema.json', buildRunbookJsonSchema],
  ['../schema/runbook-config.schema.json', buildConfigJsonSchema],
];

let stale = false;
for (const [relative, build] of SCHEMAS) {
  const target = fileURLToPath(new URL(relative, import.meta.url));
  const text = JSON.stringify(build(), null, 2) + '\n';
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${relative.slice(3)} is stale: run \`npm run gen:schema\``);
      stale = true;
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}
process.exit(stale ? 1 : 0);
