#!/usr/bin/env node
// Entry point of the `runbook` CLI. The package runs the compiled lib/; a source checkout
// without a build (no lib/) runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../lib/cli/main.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../interpreter/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
