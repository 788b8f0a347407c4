/**
 * `runbook test [PATH]...`: runs runbook test cases (`*.test.yaml`, docs/testing.md) in-process
 * or on Temporal, with handler and agent mocks; exit 0 all passed, 1 a case failed, 2 usage error or an
 * invalid case file.
 */
import { relative } from 'node:path';
import { displayPath } from '../../config/index.ts';
import { loadHandlerRegistry, type HandlerRegistry } from '../../handlers/index.ts';
import { loadProjectAgents } from '../project-agents.ts';
import { PathNotFoundError } from '../../loader/index.ts';
import { TestCaseInvalidError } from '../../testing/case-diagnostic.ts';
import { findCaseFiles } from '../../testing/find-cases.ts';
import { loadTestCase, type TestCase } from '../../testing/load-case.ts';
import { formatGithub } from '../../testing/report-github.ts';
import { formatJunit } from '../../testing/report-junit.ts';
import { formatPretty, type SuiteReport } from '../../testing/report-pretty.ts';
import { loadRunbookLibrary } from '../../testing/runbook-library.ts';
import { runTestSuite } from '../../testing/run-suite.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';
import { openTestRuntime, type RuntimeName } from '../case-runtimes.ts';

const USAGE = `usage: runbook test [PATH]... [options]

Runs runbook test cases: YAML files naming a runbook, its input, scripted signals,
review answers and answers to agents' questions, handler and agent mocks and the expected
outcome (docs/testing.md). A directory is
searched recursively for *.test.yaml / *.test.yml; a file is run whatever its name.
Default: every *.test.yaml under the project root (the directory of runbook.config.yaml,
else the working directory). Runbooks named by slug come from the configured runbooks
directory; unmocked handlers and agents run for real from the configured handlers and agents.

options:
  --runtime local|temporal      where cases run (default local: in-process). temporal: the
                                configured Temporal server, with a worker embedded in this
                                command on its own task queue
  --format pretty|junit|github  report format (default pretty)
  --filter TEXT                 only cases whose file or description contains TEXT
  --concurrency N               cases run at once (default 8 local, 4 temporal)
  --timeout MS                  result timeout of a case without timeout_ms (default 10000)
  --runbooks DIR                runbooks directory (default: configured, runbooks/)
  --handlers DIR|FILE           handler entry (default: configured, handlers/)
  --skip-handlers               load no handlers: every call must be mocked
  --agents DIR|FILE             agent entry (default: configured, else agents/ when it exists)
  -h, --help                    show this help

exit status: 0 every case passed, 1 a case failed, 2 usage error or an invalid case file`;

const FORMATTERS = { pretty: formatPretty, junit: formatJunit, github: formatGithub } as const;
type Format = keyof typeof FORMATTERS;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => test(argv)),
};

async function test(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      runtime: { type: 'string', default: 'local' },
      format: { type: 'string', default: 'pretty' },
      filter: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      runbooks: { type: 'string' },
      handlers: { type: 'string' },
      'skip-handlers': { type: 'boolean' },
      agents: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  const runtimeName = values.runtime ?? 'local';
  if (runtimeName !== 'local' && runtimeName !== 'temporal') throw new UsageError(`unknown --runtime "${runtimeName}" (local or temporal)`);
  const format = values.format ?? 'pretty';
  if (!Object.hasOwn(FORMATTERS, format)) throw new UsageError(`unknown --format "${format}" (pretty, junit or github)`);
  const concurrency = positiveInt('--concurrency', values.concurrency) ?? (runtimeName === 'local' ? 8 : 4);
  const timeoutMs = positiveInt('--timeout', values.timeout);
  if (values.handlers !== undefined && values['skip-handlers']) throw new UsageError('--handlers and --skip-handlers exclude each other');
  const config = cliConfig({ runbooks: values.runbooks, handlers: values['skip-handlers'] ? false : values.handlers, agents: values.agents });

  const searched = positionals.length > 0 ? positionals : [displayPath(config.root)];
  let files: string[];
  try {
    files = await findCaseFiles(searched);
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new UsageError(error.message);
    throw error;
  }
  if (files.length === 0) throw new UsageError(`no test cases (*.test.yaml, *.test.yml) under ${searched.join(' ')}`);

  // A broken handlers entry is exit 2 with its file and cause (main maps HANDLERS_* codes).
  const handlers: HandlerRegistry | null = config.handlers.value === false ? null : await loadHandlerRegistry(config.handlers.value);
  // So is a broken agents entry (AGENTS_*); none configured and no agents/: agent steps fail with AGENT_UNKNOWN.
  const agents = await loadProjectAgents(config);
  const library = await loadRunbookLibrary(displayPath(config.runbooks.value));
  const cases: TestCase[] = [];
  const invalid: TestCaseInvalidError[] = [];
  for (const file of files) {
    try {
      cases.push(loadTestCase(file, { library, id: relative(process.cwd(), file) || file }));
    } catch (error) {
      if (!(error instanceof TestCaseInvalidError)) throw error;
      invalid.push(error);
    }
  }
  const needle = values.filter?.toLowerCase();
  const selected = needle === undefined ? cases : cases.filter((testCase) => testCase.id.toLowerCase().includes(needle) || testCase.name.toLowerCase().includes(needle));
  if (needle !== undefined && selected.length === 0 && invalid.length === 0) throw new UsageError(`--filter "${values.filter}" matches none of the ${cases.length} case(s)`);

  let outcomes: SuiteReport['outcomes'] = [];
  let runtimeLabel: string = runtimeName;
  if (selected.length > 0) {
    const opened = await openTestRuntime(runtimeName as RuntimeName, handlers, selected, agents);
    runtimeLabel = opened.runtime.name;
    if (format === 'pretty') process.stderr.write(`runbook: ${selected.length} case${selected.length === 1 ? '' : 's'}, run ${opened.where}\n`);
    try {
      outcomes = await runTestSuite(opened.runtime, selected, { concurrency, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    } finally {
      await opened.close();
    }
  }
  process.stdout.write(FORMATTERS[format as Format]({ runtime: runtimeLabel, outcomes, invalid }));
  if (invalid.length > 0) return EXIT_USAGE;
  return outcomes.some((outcome) => outcome.status === 'failed') ? EXIT_FAILED : EXIT_OK;
}

function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(raw)) throw new UsageError(`${flag} must be a positive whole number, not "${raw}"`);
  return Number(raw);
}
