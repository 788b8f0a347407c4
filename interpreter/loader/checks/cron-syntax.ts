/**
 * Checks a cron expression as Temporal Schedules read one (`cronExpressions`): five fields
 * (minute hour day-of-month month day-of-week) of numbers, names, `*`, ranges, steps and lists,
 * or a shorthand (@hourly, @daily, @weekly, @monthly, @yearly, @annually). Returns what is wrong, or null.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The first name's number (months count from 1). */
  readonly namesFrom?: number;
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  // 7 is Sunday too, as in most crons.
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

const SHORTHANDS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function valueOf(text: string, field: Field): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
  return index >= 0 ? index + (field.namesFrom ?? 0) : null;
}

function checkPart(part: string, field: Field): string | null {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '') return `"${part}" is not a value, range or step`;
  if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) return `the step "${step}" is not a positive whole number`;
  if (range === '*') return null;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${range}" is not a range`;
  const values: number[] = [];
  for (const bound of bounds) {
    const value = valueOf(bound, field);
    if (value === null) return `"${bound}" is not a ${field.name}${field.names ? ` (${field.min}-${field.max} or a name such as ${field.names[0]})` : ` (${field.min}-${field.max})`}`;
    if (value < field.min || value > field.max) return `${value} is out of range for the ${field.name} (${field.min}-${field.max})`;
    values.push(value);
  }
  if (values.length === 2 && values[0]! > values[1]!) return `the range ${range} runs backwards`;
  return null;
}

/** What is wrong with `cron`, or null when Temporal can read it. */
export function cronProblem(cron: string): string | null {
  const text = cron.trim();
  if (text.startsWith('@')) return SHORTHANDS.has(text.toLowerCase()) ? null : `"${text}" is not a cron shorthand (@hourly, @daily, @weekly, @monthly, @yearly)`;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${fields.length}`;
  for (let index = 0; index < FIELDS.length; index += 1) {
    const field = FIELDS[index]!;
    for (const part of fields[index]!.split(',')) {
      const problem = checkPart(part, field);
      if (problem) return `${field.name} field "${fields[index]}": ${problem}`;
    }
  }
  return null;
}

/** What is wrong with an IANA time zone name, or null when this runtime (and so Temporal's tz database) knows it. */
export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return null;
  } catch {
    return `"${timezone}" is not an IANA time zone (e.g. UTC, Europe/London, America/New_York)`;
  }
}
