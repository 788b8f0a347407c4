/**
 * GitHub Actions workflow commands: an `::error` annotation per failed case (at its `expect`,
 * with the diff) and per problem of an invalid case file, then the count line.
 */
import { escapeData, escapeProperty, formatDiagnosticsGithub } from '../loader/format-diagnostics.ts';
import { countLine, failureText, type SuiteReport } from './report-pretty.ts';

/**
 * @example
 * process.stdout.write(formatGithub({ runtime: 'local', outcomes, invalid }));
 */
export function formatGithub(report: SuiteReport): string {
  const out = [formatDiagnosticsGithub(report.invalid.flatMap((error) => error.diagnostics))];
  for (const outcome of report.outcomes) {
    if (outcome.status === 'passed') continue;
    const { testCase } = outcome;
    const title = `runbook test: ${testCase.name}`;
    out.push(`::error file=${escapeProperty(testCase.id)},line=${testCase.line},col=${testCase.column},title=${escapeProperty(title)}::${escapeData(`${testCase.name} failed on ${report.runtime}\n${failureText(outcome)}`)}\n`);
  }
  out.push(`${countLine(report.outcomes)}\n`);
  return out.join('');
}
