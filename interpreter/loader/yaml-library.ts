/**
 * The `yaml` package, loaded on first use: a valid runbook is parsed by the fast path
 * (fast-yaml.ts) and never needs it; only a file with something to report (positions, the
 * exact YAML error) does. Synchronous (`require`), as the loader is. Node side.
 */
import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';

const requireHere = createRequire(import.meta.url);
let loaded: typeof YamlModule | undefined;

export function yamlLibrary(): typeof YamlModule {
  loaded ??= requireHere('yaml') as typeof YamlModule;
  return loaded;
}
