/**
 * `rxs completion bash|zsh|fish`: a completion script for the commands and their options, generated from the
 * program itself so it never drifts. `source <(rxs completion bash)`.
 * @module
 */
import { Argument, Command } from '@commander-js/extra-typings';
import { Output } from '../output.js';

interface CommandInfo {
  readonly name: string;
  readonly description: string;
  readonly options: readonly string[];
}

type Introspectable = {
  commands: readonly Introspectable[];
  options: readonly { long?: string | undefined }[];
  name(): string;
  description(): string;
};

function describe(program: Introspectable): { globals: string[]; commands: CommandInfo[] } {
  const longs = (command: Introspectable) => command.options.flatMap((option) => (option.long ? [option.long] : []));
  return {
    globals: [...longs(program), '--help'],
    commands: program.commands.map((command) => ({
      name: command.name(),
      description: command.description(),
      options: longs(command),
    })),
  };
}

function bash(info: ReturnType<typeof describe>): string {
  const cases = info.commands.map((c) => `    ${c.name}) opts="${c.options.join(' ')}" ;;`).join('\n');
  return `# rxsecrets completion for bash (and zsh with bashcompinit): source <(rxs completion bash)
_rxsecrets() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${info.commands.map((c) => c.name).join(' ')} ${info.globals.join(' ')}" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$opts ${info.globals.join(' ')}" -- "$cur"))
}
complete -o default -F _rxsecrets rxsecrets rxs
`;
}

function zsh(info: ReturnType<typeof describe>): string {
  // bashcompinit's `complete` needs compdef, which compinit defines: run compinit only if the user's zshrc did not
  return `# rxsecrets completion for zsh: source <(rxs completion zsh)
(( $+functions[compdef] )) || { autoload -U +X compinit && compinit -i }
autoload -U +X bashcompinit && bashcompinit
${bash(info)}`;
}

function fish(info: ReturnType<typeof describe>): string {
  const quote = (text: string) => `'${text.replace(/'/g, "\\'")}'`;
  const lines = ['# rxsecrets completion for fish: rxs completion fish | source'];
  for (const bin of ['rxsecrets', 'rxs']) {
    for (const c of info.commands) {
      lines.push(`complete -c ${bin} -f -n __fish_use_subcommand -a ${c.name} -d ${quote(c.description)}`);
      for (const option of c.options) {
        lines.push(`complete -c ${bin} -n '__fish_seen_subcommand_from ${c.name}' -l ${option.slice(2)}`);
      }
    }
    for (const option of info.globals) lines.push(`complete -c ${bin} -l ${option.slice(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

// No CliContext (see action.ts): a shell may run this at every start, and it needs neither the client nor rxjs.
async function completion(shell: 'bash' | 'zsh' | 'fish', command: unknown): Promise<void> {
  let root = command as unknown as Introspectable & { parent?: unknown };
  while (root.parent) root = root.parent as typeof root;
  const info = describe(root);
  await new Output(process.stdout).write(shell === 'bash' ? bash(info) : shell === 'zsh' ? zsh(info) : fish(info));
}

/** The `completion` command. */
export function completionCommand() {
  return new Command('completion')
    .description('print a shell completion script (source <(rxs completion bash))')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish'] as const))
    .action((shell, _options, command) => completion(shell, command));
}
