/**
 * A step's Lucide icon by the format's PascalCase name (`CalendarPlus`), loaded on demand: the
 * build writes every icon's data as JSON shards by the name's first two characters
 * (console/lucide-icon-shards.ts), and an icon fetches its shard once (a few KB), so no icon set is in any bundle.
 * An unknown name (or none) shows a plain dot.
 */
import { useEffect, useState } from 'react';
import { Icon, type IconNode } from 'lucide-react';

interface IconData {
  readonly name: string;
  readonly size?: number;
  readonly node: IconNode;
}

type Shard = Readonly<Record<string, IconData | string>>;

const shards = new Map<string, Promise<Shard>>();

function loadShard(key: string): Promise<Shard> {
  let shard = shards.get(key);
  if (!shard) {
    shard = fetch(`/assets/icons/${key}.json`).then((response) => (response.ok ? (response.json() as Promise<Shard>) : {})).catch(() => ({}));
    shards.set(key, shard);
  }
  return shard;
}

/** The icon's data, following an alias (at most a few hops) to the icon it stands for. */
async function loadIcon(name: string, hops = 3): Promise<IconData | null> {
  const entry = (await loadShard(name.slice(0, 2)))[name];
  if (typeof entry === 'string') return hops > 0 ? loadIcon(entry, hops - 1) : null;
  return entry ?? null;
}

/** `CalendarPlus` → `calendar-plus`, `ArrowUp01` → `arrow-up-0-1`, `Building2` → `building-2`. */
export function lucideName(name: string): string {
  let kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Za-z])(\d)/g, '$1-$2');
  while (/\d\d/.test(kebab)) kebab = kebab.replace(/(\d)(\d)/, '$1-$2');
  return kebab.toLowerCase();
}

const Dot = ({ size }: { readonly size: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="4" fill="currentColor" /></svg>
);

export function StepIcon({ name, size = 18 }: { readonly name: string | null | undefined; readonly size?: number }) {
  const kebab = name ? lucideName(name) : null;
  const [data, setData] = useState<IconData | null>(null);
  useEffect(() => {
    setData(null);
    if (!kebab || !/^[a-z0-9]/.test(kebab)) return undefined;
    let live = true;
    void loadIcon(kebab).then((icon) => { if (live) setData(icon); });
    return () => { live = false; };
  }, [kebab]);
  if (!data) return <Dot size={size} />;
  return <Icon icon={{ node: data.node, size: data.size ?? 24, aliases: [] }} size={size} aria-hidden="true" />;
}
