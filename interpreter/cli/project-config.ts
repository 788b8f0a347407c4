/**
 * The configuration a CLI command runs with: `runbook.config.yaml` (nearest, walking up),
 * the environment, then the command's flags. Every command resolves it through here.
 */
import { resolveProjectConfig, stateDirPaths, type ConfigOverrides, type ProjectConfig, type StatePaths } from '../config/index.ts';

export interface CliConfig extends ProjectConfig {
  readonly state: StatePaths;
}

/** Resolves the configuration for this process's working directory with `flags` over it. Throws ConfigError (exit 2). */
export function cliConfig(flags: ConfigOverrides = {}): CliConfig {
  const config = resolveProjectConfig({ flags });
  return { ...config, state: stateDirPaths(config.stateDir.value) };
}
