/**
 * Every `runbook` command: its group (who uses it), one-line summary and module. The help is
 * printed from this table without importing any command module, so `runbook --help` is instant.
 */
import type { Command } from './command.ts';

export type CommandGroup = 'author' | 'run' | 'operate';

export interface CommandEntry {
  readonly group: CommandGroup;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const GROUP_TITLES: Record<CommandGroup, string> = {
  author: 'Write and check runbooks',
  run: 'Run runbooks',
  operate: 'Operate runs on Temporal',
};

export const COMMANDS: Record<string, CommandEntry> = {
  init: { group: 'author', summary: 'Scaffold a project: config, an example runbook, handler and test, editor and CI set-up', load: async () => (await import('./commands/init.ts')).command },
  validate: { group: 'author', summary: 'Validate runbook files (schema, semantic and handler checks) with located diagnostics', load: async () => (await import('./commands/validate.ts')).command },
  test: { group: 'author', summary: 'Run runbook test cases (scripted answers, handler mocks, expectations)', load: async () => (await import('./commands/test.ts')).command },
  graph: { group: 'author', summary: 'Print a runbook as a diagram (Mermaid or Graphviz dot): steps, conditions, outcomes, error routes, go-backs, fan-outs', load: async () => (await import('./commands/graph.ts')).command },
  'move-step': { group: 'author', summary: 'Move a step of a runbook file (--before, --after, --to), refused if it breaks the data flow; nothing else in the file changes', load: async () => (await import('./commands/move-step.ts')).command },
  config: { group: 'author', summary: 'Print the resolved configuration and where each value comes from', load: async () => (await import('./commands/config.ts')).command },
  run: { group: 'run', summary: 'Run a runbook (in-process, or on Temporal with an embedded worker) with a live step ladder', load: async () => (await import('./commands/run.ts')).command },
  dev: { group: 'run', summary: 'Run the embedded default: a Temporal dev server kept in the state directory, a hot-loading worker and the console', load: async () => (await import('./commands/dev.ts')).command },
  console: { group: 'run', summary: 'Serve the web console (inbox, run pages, acting) on Temporal or in-process', load: async () => (await import('./commands/console.ts')).command },
  'dev-server': { group: 'run', summary: 'Run a local Temporal development server', load: async () => (await import('./commands/dev-server.ts')).command },
  worker: { group: 'run', summary: 'Run a Temporal worker that executes runbooks (hot-loads definitions)', load: async () => (await import('./commands/worker.ts')).command },
  start: { group: 'run', summary: 'Start a runbook run on Temporal', load: async () => (await import('./commands/start.ts')).command },
  status: { group: 'operate', summary: 'Show the state of a run on Temporal', load: async () => (await import('./commands/status.ts')).command },
  act: { group: 'operate', summary: 'Approve, reject or correct the review a run waits on', load: async () => (await import('./commands/act.ts')).command },
  signal: { group: 'operate', summary: 'Send a declared signal to a run', load: async () => (await import('./commands/signal.ts')).command },
  call: { group: 'run', summary: 'Call one handler of the project once (e.g. store a document and print its id)', load: async () => (await import('./commands/call.ts')).command },
  cancel: { group: 'operate', summary: 'Cancel a run on Temporal', load: async () => (await import('./commands/cancel.ts')).command },
  schedules: { group: 'operate', summary: 'Sync the runbooks\' schedules into Temporal Schedules, or list them with their next fire times', load: async () => (await import('./commands/schedules.ts')).command },
  definitions: { group: 'operate', summary: 'List the runbook definitions a worker serves (hash, load time, file, rejected attempts)', load: async () => (await import('./commands/definitions.ts')).command },
};
