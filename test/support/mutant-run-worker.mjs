// Worker thread of mutant-run-pool.ts. Plain JavaScript so it starts without a TypeScript
// loader (under Node 20 a worker does not inherit the parent's loader hooks).
import { register } from 'tsx/esm/api';

register();
await import('./mutant-run-worker-main.ts');
