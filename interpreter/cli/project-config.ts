/**
 * The configuration a CLI command runs with: `runbook.config.yaml` (nearest, walking up),
 * the environment, then the command's flags. Every command resolves it through here.
 */
import { existsSync } from 'node:fs';
import { resolveProjectConfig, stateDirPaths, type ConfigOverrides, type ProjectConfig, type StatePaths } from '../config/index.ts';

export interface CliConfig extends ProjectConfig {
  readonly state: StatePaths;
}

/** Resolves the configuration for this process's working directory with `flags` over it. Throws ConfigError (exit 2). */
export function cliConfig(flags: ConfigOverrides = {}): CliConfig {
  const config = resolveProjectConfig({ flags });
  return { ...config, state: stateDirPaths(config.stateDir.value) };
}

/**
 * The agents entry a command loads: the configured (or flagged) one always, the default `agents/`
 * only when it exists; undefined when the project has none (`agents: false`, or no default directory).
 */
export function agentsEntry(config: ProjectConfig): string | undefined {
  const { value, source } = config.agents;
  if (value === false) return undefined;
  return source === 'default' && !existsSync(value) ? undefined : value;
}
