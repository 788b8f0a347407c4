/** Loggers for handlers and the runtime: quiet by default, JSON lines on stderr when asked. */
import type { HandlerLogger } from '../../handlers/index.ts';

type Level = keyof HandlerLogger;
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes `level message {fields}` lines to stderr at or above `min`. */
export function stderrLogger(min: Level = 'info'): HandlerLogger {
  const at = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[min]) return;
    process.stderr.write(`${level.toUpperCase()} ${message}${fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Logs warnings and errors only (RUNBOOK_LOG=debug|info|warn|error changes the level). */
export const quietLogger: HandlerLogger = stderrLogger((process.env.RUNBOOK_LOG as Level | undefined) ?? 'warn');
