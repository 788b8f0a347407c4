/**
 * The Temporal TestRuntime, loaded on demand: importing `yaml-runbook/testing` does not load
 * the Temporal SDK; calling this does.
 */
import type { TemporalTestRuntime, TemporalTestRuntimeOptions } from './temporal-test-runtime.ts';

export type { TemporalTestRuntime, TemporalTestRuntimeOptions };

/**
 * @example
 * const runtime = await temporalTestRuntime({ connection, nativeConnection, namespace, taskQueue, handlers });
 */
export async function temporalTestRuntime(options: TemporalTestRuntimeOptions): Promise<TemporalTestRuntime> {
  return (await import('./temporal-test-runtime.ts')).createTemporalTestRuntime(options);
}
