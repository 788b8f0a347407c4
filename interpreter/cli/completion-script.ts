/**
 * The shell completion script `runbook completion bash|zsh` prints: command names after
 * `runbook`, then files and directories.
 * Install: `source <(npx runbook completion bash)`, or append it to ~/.bashrc / ~/.zshrc.
 */
export type CompletionShell = 'bash' | 'zsh';

export const COMPLETION_USAGE = `usage: runbook completion bash|zsh

Prints a completion script for your shell: command names after \`runbook\`, then files.

  source <(npx runbook completion bash)     # this shell
  npx runbook completion bash >> ~/.bashrc  # every new shell (zsh: ~/.zshrc)`;

export function completionScript(shell: CompletionShell, commands: readonly string[]): string {
  const bash = [
    `# runbook completion (${shell}): runbook completion ${shell}`,
    '_runbook_complete() {',
    '  local current="${COMP_WORDS[COMP_CWORD]}"',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=( $(compgen -W "${commands.join(' ')} --help" -- "$current") )`,
    '  else',
    '    COMPREPLY=( $(compgen -f -- "$current") )',
    '  fi',
    '}',
    'complete -o filenames -F _runbook_complete runbook',
    '',
  ].join('\n');
  return shell === 'bash' ? bash : `autoload -U +X bashcompinit && bashcompinit\n${bash}`;
}
