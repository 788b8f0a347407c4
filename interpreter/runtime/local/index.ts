export { LocalRuntime } from './local-runtime.ts';
export type { LocalRuntimeOptions, StartOptions } from './local-runtime.ts';
export { LocalRunHandle } from './local-run-handle.ts';
export { stderrLogger, quietLogger } from './loggers.ts';
