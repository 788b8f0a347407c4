/** Finds `runbook.config.yaml` like eslint finds its config: the nearest one walking up from a directory. Node side. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
/** The names a project's config file may have, in the order they are looked for. */
export const CONFIG_FILE_NAMES = ['runbook.config.yaml', 'runbook.config.yml'] as const;

/** The nearest config file at or above `from`, or undefined (then the working directory is the project root). */
export function findConfigFile(from: string = process.cwd()): string | undefined {
  let dir = resolve(from);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
