/** What every `runbook` command module exports as `command`; its one-line summary is in ./command-table.ts. */
export interface Command {
  /** Runs the command with its arguments; resolves to the exit code (0 ok, 1 failed, 2 usage or validation error). */
  run(argv: string[]): Promise<number>;
}
