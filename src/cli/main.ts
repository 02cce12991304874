#!/usr/bin/env node
/**
 * cicada's command line: `run`, `demo` (what `npm start` runs), `demo-target`, `report`, `compare`.
 * Each command parses its own flags with meow; this file only picks the command.
 */
import './heap.js'; // first: a V8 setting for the whole run
import meow from 'meow';
import { normalizeArgv, runFlags, runHelp, unknownRunFlags, type RunFlags } from './flags.js';
import { consoleOutput, EXIT } from './output.js';
import { runCommand } from './run.js';
import { version } from './version.js';

const mainHelp = `
  Usage
    $ cicada <command> [options]

  Commands
    run <scenario.yaml | URL>   Run a load test (live terminal UI, or headless with --headless / when piped)
    demo                        Start the bundled demo target and run scenarios/demo.yaml against it
    demo-target [--port N]      Serve the bundled demo API (default port 8089)
    report <results-dir>        Write report.md and report.html again from a results directory
    compare <dir-a> <dir-b>     Compare two runs (A is the baseline); exit 1 on a regression
    worker --bus URL            Join a distributed run as a worker (run --workers N --bus URL coordinates)
    k8s <scenario.yaml> --workers N   Print Kubernetes manifests for a distributed run

  Run 'cicada <command> --help' for a command's options.

  Examples
    $ cicada run scenarios/smoke.yaml --headless -u 50 -r 10 -t 30s --host http://127.0.0.1:8000
    $ cicada demo
    $ cicada compare results/slo-20261120-101500 results/slo-20261122-164206
`;

const commands = ['run', 'demo', 'demo-target', 'report', 'compare', 'worker', 'k8s'] as const;

async function main(): Promise<number> {
  const top = meow(mainHelp, {
    importMeta: import.meta,
    commands: [...commands],
    version,
    flags: {},
  });
  const argv = top.input;
  switch (top.command) {
    case 'run': {
      const unknown = unknownRunFlags(argv);
      if (unknown.length > 0) {
        for (const problem of unknown) consoleOutput.error(problem);
        return EXIT.badInput;
      }
      let cli;
      try {
        cli = meow(runHelp, {
          importMeta: import.meta,
          argv: normalizeArgv(argv),
          flags: runFlags,
          allowUnknownFlags: false,
          version,
        });
      } catch (err) {
        // meow throws for a flag given twice (`-u 3 -u 4`): bad input, not a crash.
        const message = (err as Error).message;
        const twice = /^The flag (--[\w-]+) can only be set once\.?$/.exec(message);
        consoleOutput.error(twice === null ? message : `${twice[1]}: can only be given once`);
        return EXIT.badInput;
      }
      // meow shows help only for a lone `--help`; `run s.yaml --help` must not start a test.
      const asked = cli.flags as { help?: unknown; version?: unknown };
      if (asked.help === true) cli.showHelp(0);
      if (asked.version === true) cli.showVersion();
      if (cli.input.length > 1) {
        for (const extra of cli.input.slice(1)) consoleOutput.error(`unexpected argument "${extra}": run takes one scenario file or URL`);
        return EXIT.badInput;
      }
      return runCommand({
        flags: cli.flags as unknown as RunFlags,
        target: cli.input[0],
        version,
        argv: ['run', ...argv],
        out: consoleOutput,
        tty: Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY),
        env: process.env,
      });
    }
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
    default:
      top.showHelp(0);
      return EXIT.ok;
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
