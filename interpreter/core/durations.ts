/** Duration strings of the format (`500ms`, `30s`, `5m`, `2h`, `3d`) to milliseconds. Sandbox-safe. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const match = /^([0-9]+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`invalid duration "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}
