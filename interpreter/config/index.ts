/** The project configuration (`runbook.config.yaml`), its discovery and resolution. Node side. */
// The zod format (ConfigSchema, buildConfigJsonSchema) is in ./config-format.ts, imported where
// needed: this index stays light (no zod, no yaml) for every command's start.
export type { ConfigFile, ConsoleAuthConfig, ConsoleConfig, ConsoleRolesConfig, TracingConfig, WorkerConfig } from './config-format.ts';
export { findConfigFile, CONFIG_FILE_NAMES } from './find-config.ts';
export {
  ConfigError,
  DEFAULT_AGENTS_DIR,
  DEFAULT_CONSOLE_HOST,
  DEFAULT_CONSOLE_PORT,
  DEFAULT_HANDLERS_DIR,
  DEFAULT_NAMESPACE,
  DEFAULT_RUNBOOKS_DIR,
  DEFAULT_STATE_DIR,
  DEFAULT_TASK_QUEUE,
  DEFAULT_TEMPORAL_ADDRESS,
  DEFAULT_API_KEY_ENV,
  DEFAULT_MAX_CONCURRENT_ACTIVITIES,
  DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS,
  DEFAULT_SHUTDOWN_GRACE_TIME,
  DEFAULT_TRACING_PROTOCOL,
  DEFAULT_TRACING_SERVICE_NAME,
  displayPath,
  EnvironmentConfigError,
  readConfigFile,
  resolveProjectConfig,
  tracesUrl,
} from './resolve-config.ts';
export type { ConfigOverrides, ProjectConfig, ResolveConfigOptions, Setting } from './resolve-config.ts';
export { stateDirPaths, userCacheDir, WORKER_STATE_FILE_NAME } from './state-dir.ts';
export type { Environment, StatePaths } from './state-dir.ts';
