/**
 * A Vite plugin: every Lucide icon's data (its SVG node list) as JSON shards by the name's first two
 * characters, `assets/icons/<ca>.json` = `{ "calendar-plus": { name, size, node }, "an-alias": "calendar-plus" }`
 * (an alias names the icon it stands for, in the same shard or another), read from
 * lucide-react's own modules. The app fetches the one shard a step's icon needs (a few KB), instead
 * of bundling lucide's 2,400-entry import map (66 KB gzipped) and emitting one chunk per icon.
 * Names follow lucide's dynamic import map, so aliases resolve too. One more asset,
 * `assets/icons/index.json` = `[["calendar-plus", "calendar-add", ...], ...]` (each icon's name, then its
 * aliases), is the name list the editor's icon picker searches (fetched when the picker opens).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

export const ICON_SHARD_DIR = 'assets/icons';

interface IconData {
  readonly name: string;
  readonly size?: number;
  readonly node: readonly unknown[];
}

function lucideEsmDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('lucide-react/package.json')), 'dist', 'esm');
}

/** The shard of an icon name: its first two characters. */
export const shardOf = (name: string): string => name.slice(0, 2);

/** `{ ca: { 'calendar-plus': {...}, ... }, ... }` */
export function buildIconShards(): Map<string, Record<string, IconData | string>> {
  const esm = lucideEsmDir();
  const map = readFileSync(join(esm, 'dynamicIconImports.mjs'), 'utf8');
  const files = new Map<string, IconData>();
  const firstName = new Map<string, string>();
  const shards = new Map<string, Record<string, IconData | string>>();
  for (const [, name, file] of map.matchAll(/"([a-z0-9-]+)": \(\) => import\('\.\/icons\/([a-z0-9-]+)\.mjs'\)/g)) {
    if (!name || !file) continue;
    let data = files.get(file);
    if (!data) {
      const source = readFileSync(join(esm, 'icons', `${file}.mjs`), 'utf8');
      const literal = /const __iconData = (\{[\s\S]*?\n\});/.exec(source)?.[1];
      if (!literal) throw new Error(`lucide-icon-shards: no __iconData in icons/${file}.mjs (lucide-react changed its layout?)`);
      // A plain object literal of strings and numbers from lucide-react's own files, read at build time.
      data = new Function(`return ${literal}`)() as IconData;
      files.set(file, data);
    }
    const key = shardOf(name);
    const shard = shards.get(key) ?? {};
    const canonical = firstName.get(file);
    shard[name] = canonical ?? { name: data.name, size: data.size, node: data.node };
    if (!canonical) firstName.set(file, name);
    shards.set(key, shard);
  }
  if (shards.size === 0) throw new Error('lucide-icon-shards: found no icons in lucide-react/dist/esm/dynamicIconImports.mjs');
  return shards;
}

export const ICON_INDEX_FILE = `${ICON_SHARD_DIR}/index.json`;

/** Every icon's name followed by its aliases, sorted by name. */
export function buildIconIndex(shards: Map<string, Record<string, IconData | string>>): string[][] {
  const names = new Map<string, string[]>();
  const aliases: [string, string][] = [];
  for (const shard of shards.values()) {
    for (const [name, entry] of Object.entries(shard)) {
      if (typeof entry === 'string') aliases.push([name, entry]);
      else names.set(name, [name]);
    }
  }
  for (const [alias, canonical] of aliases) names.get(canonical)?.push(alias);
  return [...names.values()].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

export function lucideIconShards(): Plugin {
  let shards: Map<string, Record<string, IconData | string>> | null = null;
  const get = (): Map<string, Record<string, IconData | string>> => (shards ??= buildIconShards());
  return {
    name: 'lucide-icon-shards',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (request.url === `/${ICON_INDEX_FILE}`) {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify(buildIconIndex(get())));
          return;
        }
        const match = /^\/assets\/icons\/([a-z0-9-]{1,2})\.json$/.exec(request.url ?? '');
        if (!match?.[1]) return next();
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(get().get(match[1]) ?? {}));
      });
    },
    generateBundle() {
      for (const [key, shard] of get()) {
        this.emitFile({ type: 'asset', fileName: `${ICON_SHARD_DIR}/${key}.json`, source: JSON.stringify(shard) });
      }
      this.emitFile({ type: 'asset', fileName: ICON_INDEX_FILE, source: JSON.stringify(buildIconIndex(get())) });
    },
  };
}
