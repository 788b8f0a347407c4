/**
 * A runbook's `schedules:`: a valid one is clean; a bad cron, an unknown time zone, neither or both of
 * cron and every, a repeated id, a bad overlap and a broken input template are each one located diagnostic.
 * And the input template, evaluated at a fire time, makes last month's period and is checked against the input schema.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadRunbookSource } from '../../interpreter/loader/load-runbook.ts';
import { cronProblem } from '../../interpreter/loader/checks/cron-syntax.ts';
import { scheduledInput } from '../../interpreter/core/scheduled-input.ts';
import { runbookOf } from '../support/inline-runbook.ts';

const LAST_MONTH = "{% $fromMillis($toMillis($substring($schedule.fired_at, 0, 7) & '-01T00:00:00Z') - 86400000, '[Y0001]-[M01]') %}";

const text = (schedule: string): string => `slug: monthly-close
title: Monthly close
input:
  type: object
  required: [entity, period]
  properties:
    entity: { type: string }
    period: { type: string, pattern: '^[0-9]{4}-[0-9]{2}$' }
schedules:
${schedule}
steps:
  - id: close
    title: Close
    timer: { duration: 1s }
`;

const codes = (source: string) => loadRunbookSource(text(source), 'monthly.yaml').diagnostics.map((d) => [d.code, d.pointer, d.line, d.column]);

describe('schedules in the loader', () => {
  test('a cron schedule with a time zone, an interval schedule and an input template are clean', () => {
    const result = loadRunbookSource(text(`  - id: monthly
    cron: '0 6 1 * *'
    timezone: Europe/London
    overlap: buffer_one
    input: { entity: acme-uk, period: "${LAST_MONTH}" }
  - id: often
    every: 2s
    overlap: allow_all`), 'monthly.yaml');
    assert.deepEqual(result.diagnostics.map((d) => d.code), []);
    assert.equal(result.ok && result.runbook.runbook.schedules?.length, 2);
  });

  test('a bad cron is RB_SCHEDULE_CRON at the cron, with file:line:column', () => {
    const result = loadRunbookSource(text(`  - id: monthly
    cron: '0 25 1 * *'`), 'monthly.yaml');
    const [diagnostic] = result.diagnostics;
    assert.equal(diagnostic?.code, 'RB_SCHEDULE_CRON');
    assert.equal(diagnostic.pointer, '/schedules/0/cron');
    assert.equal(diagnostic.file, 'monthly.yaml');
    assert.deepEqual([diagnostic.line, diagnostic.column], [11, 11]);
    assert.match(diagnostic.message, /hour/);
  });

  test('every problem is reported at once, each at its place', () => {
    assert.deepEqual(codes(`  - id: a
    cron: '* * *'
    timezone: Mars/Olympus
  - id: a
    every: 1h
    cron: '@daily'
  - id: b
  - id: c
    every: 1h
    overlap: sometimes
  - id: d
    every: 1h
    input: { period: "{% $schedule.fired_at & %}" }`).map(([code, pointer]) => [code, pointer]), [
      ['RB_SCHEMA_ENUM', '/schedules/3/overlap'],
    ]);
    assert.deepEqual(codes(`  - id: a
    cron: '* * *'
    timezone: Mars/Olympus
  - id: a
    every: 1h
    cron: '@daily'
  - id: b
  - id: d
    every: 1h
    input: { period: "{% $schedule.fired_at & %}" }`).map(([code, pointer]) => [code, pointer]).sort(), [
      ['RB_DUPLICATE_SCHEDULE_ID', '/schedules/1/id'],
      ['RB_EXPRESSION_SYNTAX', '/schedules/3/input/period'],
      ['RB_SCHEDULE_CRON', '/schedules/0/cron'],
      ['RB_SCHEDULE_SPEC', '/schedules/1/every'],
      ['RB_SCHEDULE_SPEC', '/schedules/2'],
      ['RB_SCHEDULE_TIMEZONE', '/schedules/0/timezone'],
    ]);
  });

  test('cron syntax: fields, ranges, steps, lists, names and shorthands', () => {
    for (const good of ['0 6 1 * *', '*/15 9-17 * * mon-fri', '0 0 1,15 jan,jul *', '@monthly', '@hourly', '0 0 * * 7']) assert.equal(cronProblem(good), null, good);
    for (const bad of ['0 6 1 *', '60 * * * *', '0 0 0 * *', '0 0 * 13 *', '*/0 * * * *', '5-1 * * * *', '@sometimes', 'a b c d e']) assert.notEqual(cronProblem(bad), null, bad);
  });
});

describe('a schedule input at its fire time', () => {
  const runbook = runbookOf({
    slug: 'monthly-close', title: 'Monthly close', steps: [{ id: 'close', title: 'Close', timer: { duration: '1s' } }],
    input: { type: 'object', required: ['entity', 'period'], properties: { entity: { type: 'string' }, period: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' } } },
  }).runbook;
  const firedAt = Date.parse('2025-02-01T06:00:00Z');

  test('evaluates with $schedule.fired_at, $schedule.id and $now() at the fire time: last month\'s period', async () => {
    const result = await scheduledInput(runbook, { id: 'monthly', input: { entity: 'acme-uk', period: LAST_MONTH, fired: '{% $now() %}', by: '{% $schedule.id %}' } }, firedAt, 'run-1');
    assert.deepEqual(result, { ok: true, input: { entity: 'acme-uk', period: '2025-01', fired: '2025-02-01T06:00:00.000Z', by: 'monthly' } });
  });

  test('an input that does not satisfy the schema is SCHEDULE_INPUT_INVALID, naming the schedule and the input', async () => {
    const result = await scheduledInput(runbook, { id: 'monthly', input: { entity: 'acme-uk', period: '{% $schedule.fired_at %}' } }, firedAt, 'run-1');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.code, 'SCHEDULE_INPUT_INVALID');
    assert.match(!result.ok ? result.message : '', /schedule "monthly" of monthly-close.*2025-02-01T06:00:00\.000Z/);
  });

  test('a template that fails to evaluate is SCHEDULE_INPUT_FAILED', async () => {
    const result = await scheduledInput(runbook, { id: 'monthly', input: { entity: 'acme-uk', period: "{% $substring(1, 'x') %}" } }, firedAt, 'run-1');
    assert.equal(!result.ok && result.code, 'SCHEDULE_INPUT_FAILED');
  });
});
