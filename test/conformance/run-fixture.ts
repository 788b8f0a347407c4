/** The runtime the conformance helpers return is the library's TestRuntime (interpreter/testing). */
export type { TestRuntime as ConformanceRuntime } from '../../interpreter/testing/index.ts';
