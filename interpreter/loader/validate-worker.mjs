// Worker thread of parallel-load.ts. Plain JavaScript so that it starts without a
// TypeScript loader (under Node 20 a worker does not inherit the parent's loader hooks).
const { register } = await import('tsx/esm/api');
register();
await import('./validate-worker-main.ts');
