#!/usr/bin/env node
/**
 * cicada's command line: `run`, `demo` (what `npm start` runs), `demo-target`, `report`, `compare`,
 * `completion`, `help`. Each command parses its own flags; this file only picks the command.
 */
import './heap.js'; // first: a V8 setting for the whole run
import { releaseEarlySignals } from './early-signals.js'; // then: signals are caught from the start
import meow from 'meow';
import { commands } from './commands.js';
import { consoleOutput, EXIT } from './output.js';
import { runFromArgv } from './run-cli.js';
import { version } from './version.js';

const mainHelp = `
  Usage
    $ cicada <command> [options]

  Commands
    run <scenario.yaml | URL> [UserClass ...]   Run a load test (live terminal UI, or headless with
                                  --headless, when piped, or when CI is set)
    demo                        Start the bundled demo target and run scenarios/demo.yaml against it
    demo-target [--port N]      Serve the bundled demo API (default port 8089)
    report <results-dir>        Write report.md and report.html again from a results directory
    compare <dir-a> <dir-b>     Compare two runs (A is the baseline); exit 1 on a regression
    worker --bus URL            Join a distributed run as a worker (run --workers N --bus URL coordinates)
    k8s <scenario.yaml> --workers N   Print Kubernetes manifests for a distributed run
    completion bash|zsh|fish    Print a shell completion script
    help [command]              Show the help of cicada or of a command
    init [DIR]                  Write a commented starter scenario, its data file and a script
    import har|openapi|curl     A scenario from a HAR recording, an OpenAPI 3 document or curl commands

  Options
    -h, --help                  Show this help
    -V, --version               Show cicada's version

  Run 'cicada help <command>' (or 'cicada <command> --help') for a command's options.

  Examples
    $ cicada run scenarios/smoke.yaml --headless -u 50 -r 10 -t 30s --host http://127.0.0.1:8000
    $ cicada demo
    $ cicada compare results/slo-20261120-101500 results/slo-20261122-164206
    $ source <(cicada completion bash)
`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const first = args[0];
  // `-V` and `-h` before any command (meow knows only the long forms).
  if (first === '-V' || first === '--version') {
    consoleOutput.print(version);
    return EXIT.ok;
  }
  if (first === '-h') {
    consoleOutput.print(mainHelp);
    return EXIT.ok;
  }
  const top = meow(mainHelp, {
    description: false,
    importMeta: import.meta,
    commands: [...commands],
    version,
    flags: {},
  });
  const argv = top.input;
  if (top.command !== 'run' && top.command !== 'demo') releaseEarlySignals(); // they keep Node's default
  const tty = Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY);
  switch (top.command) {
    case 'run':
      return runFromArgv({ argv, command: 'run', version, out: consoleOutput, env: process.env, tty });
    case 'demo':
      return (await import('./demo.js')).demoCommand(argv);
    case 'demo-target':
      return (await import('./demo.js')).demoTargetCommand(argv);
    case 'report':
      return (await import('./report-commands.js')).reportCommand(argv, consoleOutput, version);
    case 'compare':
      return (await import('./report-commands.js')).compareCommand(argv, consoleOutput, version);
    case 'worker':
      return (await import('./worker-command.js')).workerCommand(argv, consoleOutput, process.env);
    case 'k8s':
      return (await import('./k8s.js')).k8sCommand(argv, consoleOutput);
    case 'completion':
      return (await import('./completion.js')).completionCommand(argv, consoleOutput);
    case 'help':
      return helpCommand(argv);
    case 'init':
      return (await import('./init.js')).initCommand(argv);
    case 'import':
      return (await import('./import/command.js')).importCommand(argv);
    default:
      if (first !== undefined && !first.startsWith('-')) {
        consoleOutput.error(`unknown command "${first}" (commands: ${commands.join(', ')})`);
        return EXIT.badInput;
      }
      top.showHelp(0);
      return EXIT.ok;
  }
}

/** `cicada help [command]`: the same text as `cicada <command> --help`. */
async function helpCommand(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  switch (command) {
    case undefined:
    case 'help':
      consoleOutput.print(mainHelp);
      return EXIT.ok;
    case 'run':
      consoleOutput.print((await import('./flags.js')).runHelp);
      return EXIT.ok;
    case 'demo':
      consoleOutput.print((await import('./demo.js')).demoHelp);
      return EXIT.ok;
    case 'demo-target':
      consoleOutput.print((await import('./demo.js')).targetHelp);
      return EXIT.ok;
    case 'report':
      consoleOutput.print((await import('./report-commands.js')).reportHelp);
      return EXIT.ok;
    case 'compare':
      consoleOutput.print((await import('./report-commands.js')).compareHelp);
      return EXIT.ok;
    case 'completion':
      consoleOutput.print((await import('./completion.js')).completionHelp);
      return EXIT.ok;
    case 'worker':
      consoleOutput.print((await import('./worker-command.js')).help);
      return EXIT.ok;
    case 'k8s':
      consoleOutput.print((await import('./k8s.js')).help);
      return EXIT.ok;
    case 'init':
      consoleOutput.print((await import('./init.js')).help);
      return EXIT.ok;
    case 'import':
      consoleOutput.print((await import('./import/command.js')).help);
      return EXIT.ok;
    default:
      consoleOutput.error(`help: unknown command "${command}" (commands: ${commands.join(', ')})`);
      return EXIT.badInput;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // Give stdout a moment to drain, then leave even if a stray handle is open.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (err: unknown) => {
    consoleOutput.error(`cicada failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(EXIT.crashed);
  },
);
