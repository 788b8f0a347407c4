/**
 * A runbook's `schedules`: unique ids (RB_DUPLICATE_SCHEDULE_ID), exactly one of cron and every
 * (RB_SCHEDULE_SPEC), a cron Temporal can read (RB_SCHEDULE_CRON) and a known time zone
 * (RB_SCHEDULE_TIMEZONE), each at the offending value. Input templates are checked with every
 * other expression (expression-sites.ts).
 */
import type { RunbookCheck } from './check-api.ts';
import { cronProblem, timezoneProblem } from './cron-syntax.ts';

export const scheduleSpecs: RunbookCheck = {
  name: 'schedule-specs',
  check({ runbook, report }) {
    const seen = new Map<string, number>();
    (runbook.schedules ?? []).forEach((schedule, index) => {
      const at = `/schedules/${index}`;
      const first = seen.get(schedule.id);
      if (first !== undefined) {
        report({ code: 'RB_DUPLICATE_SCHEDULE_ID', message: `schedule id "${schedule.id}" is already used by schedules[${first}]`, pointer: `${at}/id`, related: [{ message: 'first used here', pointer: `/schedules/${first}/id` }] });
      } else {
        seen.set(schedule.id, index);
      }
      if ((schedule.cron === undefined) === (schedule.every === undefined)) {
        report({ code: 'RB_SCHEDULE_SPEC', message: `schedule "${schedule.id}" needs exactly one of cron and every${schedule.cron !== undefined ? ', not both' : ''}`, pointer: schedule.cron !== undefined ? `${at}/every` : at, ...(schedule.cron !== undefined ? { at: 'key' as const } : {}) });
      }
      if (schedule.cron !== undefined) {
        const problem = cronProblem(schedule.cron);
        if (problem) report({ code: 'RB_SCHEDULE_CRON', message: `schedule "${schedule.id}": ${problem}`, pointer: `${at}/cron` });
      }
      if (schedule.timezone !== undefined) {
        const problem = timezoneProblem(schedule.timezone);
        if (problem) report({ code: 'RB_SCHEDULE_TIMEZONE', message: `schedule "${schedule.id}": ${problem}`, pointer: `${at}/timezone` });
      }
    });
  },
};
