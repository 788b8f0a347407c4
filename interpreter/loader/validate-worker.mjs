// Worker thread of parallel-load.ts. Plain JavaScript so that it starts without a
// TypeScript loader (under Node 20 a worker does not inherit the parent's loader hooks).
// In the package it sits beside the compiled validate-worker-main.js; in a source checkout,
// beside validate-worker-main.ts, which it loads through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('./validate-worker-main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./validate-worker-main.ts');
}
