/**
 * `cicada completion bash|zsh|fish`: a completion script for the shell, generated from the same
 * flag table as `--help`, the environment variables and the config keys (`flags.ts`), so a new
 * flag completes without anyone touching this file.
 */
import { commands } from './commands.js';
import { ALL_FLAGS, type FlagDef, kebab } from './flags.js';
import { EXIT, type Output } from './output.js';

export const completionHelp = `
  Usage
    $ cicada completion bash|zsh|fish

  Prints a completion script for the shell: commands, every flag of run and demo (with file names
  where a flag takes a file, and the choices where it has some), scenario files.

  Examples
    $ source <(cicada completion bash)                        # this shell; add it to ~/.bashrc to keep it
    $ cicada completion zsh > "\${fpath[1]}/_cicada"           # then restart zsh
    $ cicada completion fish > ~/.config/fish/completions/cicada.fish
`;

const COMMAND_HELP: Readonly<Record<(typeof commands)[number], string>> = {
  run: 'Run a load test',
  demo: 'Run the demo scenario against the bundled demo target',
  'demo-target': 'Serve the bundled demo API',
  report: 'Write report.md and report.html again from a results directory',
  compare: 'Compare two runs',
  worker: 'Join a distributed run as a worker',
  k8s: 'Print Kubernetes manifests for a distributed run',
  init: 'Write a commented starter scenario, its data file and a script',
  import: 'A scenario from a HAR recording, an OpenAPI 3 document or curl commands',
  completion: 'Print a shell completion script',
  help: 'Show the help of cicada or of a command',
};

const SHELLS = ['bash', 'zsh', 'fish'] as const;

export function completionCommand(argv: readonly string[], out: Output): number {
  const shell = argv[0];
  if (shell === '--help' || shell === '-h') {
    out.print(completionHelp);
    return EXIT.ok;
  }
  if (argv.length !== 1 || !(SHELLS as readonly string[]).includes(shell!)) {
    out.error(`completion: name one shell: ${SHELLS.join(', ')}${shell === undefined ? '' : ` (got ${argv.map((a) => JSON.stringify(a)).join(' ')})`}`);
    return EXIT.badInput;
  }
  out.print(completionScript(shell as (typeof SHELLS)[number]));
  return EXIT.ok;
}

export function completionScript(shell: 'bash' | 'zsh' | 'fish', flags: Readonly<Record<string, FlagDef>> = ALL_FLAGS): string {
  const entries = Object.entries(flags);
  if (shell === 'bash') return bash(entries);
  if (shell === 'zsh') return zsh(entries);
  return fish(entries);
}

type Entry = readonly [string, FlagDef];

function names(key: string, def: FlagDef): string[] {
  return [`--${kebab(key)}`, ...(def.shortFlag !== undefined ? [`-${def.shortFlag}`] : [])];
}

function bash(entries: readonly Entry[]): string {
  const all = entries.flatMap(([k, d]) => [`--${kebab(k)}`, ...(d.type === 'boolean' && d.configurable !== false ? [`--no-${kebab(k)}`] : [])]);
  const fileFlags = entries.filter(([, d]) => d.completeFiles === true).flatMap(([k, d]) => names(k, d));
  const choiceCases = entries
    .filter(([, d]) => d.choices !== undefined)
    .map(([k, d]) => `        ${names(k, d).join('|')}) COMPREPLY=( $(compgen -W "${d.choices!.join(' ')}" -- "$cur") ); return ;;`);
  const valueFlags = entries.filter(([, d]) => d.type !== 'boolean' && d.completeFiles !== true && d.choices === undefined && d.bareValue === undefined).flatMap(([k, d]) => names(k, d));
  return `# cicada completion for bash: source <(cicada completion bash)
_cicada() {
  local cur prev
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${commands.join(' ')} --help --version" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
    run|demo)
      case "$prev" in
        ${fileFlags.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
${choiceCases.join('\n')}
        ${valueFlags.join('|')}) return ;;
      esac
      if [[ "$cur" == -* ]]; then
        COMPREPLY=( $(compgen -W "${all.join(' ')}" -- "$cur") )
      else
        COMPREPLY=( $(compgen -f -- "$cur") )
      fi
      ;;
    report|compare|k8s) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
    completion) COMPREPLY=( $(compgen -W "${SHELLS.join(' ')}" -- "$cur") ) ;;
    help) COMPREPLY=( $(compgen -W "${commands.join(' ')}" -- "$cur") ) ;;
  esac
}
complete -o filenames -F _cicada cicada
`;
}

/** Text safe inside a zsh `_arguments` spec in single quotes: no brackets, colons or quotes. */
function zshText(s: string): string {
  return s.replace(/[[\]]/g, '').replace(/:/g, ' -').replace(/'/g, '’');
}

function zsh(entries: readonly Entry[]): string {
  const specs = entries.map(([k, d]) => {
    const long = `--${kebab(k)}`;
    const help = zshText(d.help ?? '');
    const value = d.type === 'boolean' ? '' : `:${zshText(d.arg ?? 'value')}:${d.completeFiles === true ? '_files' : d.choices !== undefined ? `(${d.choices.join(' ')})` : ''}`;
    const optional = d.bareValue !== undefined ? ':' : '';
    const repeat = d.isMultiple === true ? '*' : '';
    if (d.shortFlag !== undefined) return `    '${repeat}(-${d.shortFlag} ${long})'{-${d.shortFlag},${long}}'[${help}]${optional}${value}' \\`;
    return `    '${repeat}${long}[${help}]${optional}${value}' \\`;
  });
  const cmds = commands.map((c) => `    '${c}:${zshText(COMMAND_HELP[c])}'`);
  return `#compdef cicada
# cicada completion for zsh: cicada completion zsh > "\${fpath[1]}/_cicada"
_cicada() {
  local -a cmds
  cmds=(
${cmds.join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' cmds
    return
  fi
  case $words[2] in
  run|demo)
    shift words; (( CURRENT-- ))
    _arguments -s \\
${specs.join('\n')}
    '*:scenario file or user class:_files'
    ;;
  report|compare|k8s) _files ;;
  completion) _values 'shell' ${SHELLS.join(' ')} ;;
  help) _describe 'command' cmds ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _cicada "$@"; else compdef _cicada cicada; fi
`;
}

function fishText(s: string): string {
  return s.replace(/'/g, "\\'");
}

function fish(entries: readonly Entry[]): string {
  const when = "-n '__fish_seen_subcommand_from run demo'";
  const lines = entries.map(([k, d]) => {
    const short = d.shortFlag !== undefined ? ` -s ${d.shortFlag}` : '';
    const value = d.type === 'boolean' ? '' : d.completeFiles === true ? ' -r -F' : d.choices !== undefined ? ` -x -a '${d.choices.join(' ')}'` : ' -x';
    return `complete -c cicada ${when}${short} -l ${kebab(k)}${value} -d '${fishText(d.help ?? '')}'`;
  });
  const cmds = commands.map((c) => `complete -c cicada -n '__fish_use_subcommand' -a ${c} -d '${fishText(COMMAND_HELP[c])}'`);
  return `# cicada completion for fish: cicada completion fish > ~/.config/fish/completions/cicada.fish
complete -c cicada -f
${cmds.join('\n')}
complete -c cicada -n '__fish_seen_subcommand_from run demo report compare k8s' -F
complete -c cicada -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'
complete -c cicada -n '__fish_seen_subcommand_from help' -a '${commands.join(' ')}'
${lines.join('\n')}
`;
}
