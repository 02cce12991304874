/**
 * `cicada completion bash|zsh|fish`, loaded into the real shells: bash completes through its own
 * completion entry point (COMP_WORDS/COMP_CWORD → COMPREPLY), fish through `complete -C`, zsh
 * interactively in tmux (Tab pressed in a real zsh with compinit). The scripts come from the flag
 * table, so every flag of `cicada run --help` completes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_FLAGS, kebab } from '../../src/cli/flags.js';
import { toolPath } from '../support/tools.js';
import { CLI, runCli, workdir } from './cli.js';

async function script(shell: string): Promise<string> {
  const r = await runCli(['completion', shell]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** What bash's completion function offers for `words`, the cursor on the last word. */
function bashComplete(file: string, words: string[], cwd: string): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['--norc', '-c', `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _cicada; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

describe('cicada completion', () => {
  it('bash: the script loads, registers for cicada, and completes commands, flags, choices and files', async () => {
    const dir = workdir({ 'plan.yaml': 'x', 'plain.txt': 'y' });
    const file = join(dir, 'cicada.bash');
    writeFileSync(file, await script('bash'));
    expect(execFileSync('bash', ['--norc', '-c', `source '${file}' && complete -p cicada`], { encoding: 'utf8' })).toMatch(/-F _cicada cicada/);
    expect(bashComplete(file, ['cicada', 'co'], dir)).toEqual(['compare', 'completion']);
    expect(bashComplete(file, ['cicada', 'run', '--spaw'], dir)).toEqual(['--spawn-rate']);
    expect(bashComplete(file, ['cicada', 'run', 'plan.yaml', '--no-head'], dir)).toEqual(['--no-headless']);
    expect(bashComplete(file, ['cicada', 'run', 'pla'], dir).sort()).toEqual(['plain.txt', 'plan.yaml']);
    expect(bashComplete(file, ['cicada', 'run', '--csv', 'plan'], dir)).toEqual(['plan.yaml']);
    expect(bashComplete(file, ['cicada', 'run', '-u', ''], dir)).toEqual([]); // a number: nothing to offer
    expect(bashComplete(file, ['cicada', 'completion', ''], dir)).toEqual(['bash', 'zsh', 'fish']);
    // Every long flag of the table completes.
    const all = bashComplete(file, ['cicada', 'run', '--'], dir);
    for (const key of Object.keys(ALL_FLAGS)) expect(all).toContain(`--${kebab(key)}`);
  });

  it('fish: complete -C offers the flags with their help and the subcommands', async () => {
    const dir = workdir();
    const file = join(dir, 'cicada.fish');
    writeFileSync(file, await script('fish'));
    const complete = (line: string): string => execFileSync(toolPath('fish'), ['--no-config', '-c', `source '${file}'; complete -C '${line}'`], { encoding: 'utf8' });
    expect(complete('cicada run --spa')).toBe('--spawn-rate\tUsers started per second (overrides the file)\n');
    expect(complete('cicada comp')).toMatch(/^compare\tCompare two runs\ncompletion\tPrint a shell completion script\n$/);
  });

  it('zsh: Tab in an interactive zsh completes a flag', async () => {
    const dir = workdir();
    mkdirSync(join(dir, 'functions'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'functions', '_cicada'), await script('zsh'));
    writeFileSync(join(dir, 'bin', 'cicada'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
    chmodSync(join(dir, 'bin', 'cicada'), 0o755);
    writeFileSync(join(dir, '.zshrc'), `fpath=('${join(dir, 'functions')}' $fpath)\nautoload -U compinit\ncompinit -u -D\nPS1='> '\n`);
    const zsh = toolPath('zsh');
    const tmux = (...args: string[]): string => execFileSync(toolPath('tmux'), ['-L', `cicada-zsh-${process.pid}`, ...args], { encoding: 'utf8' });
    tmux('new-session', '-d', '-s', 'z', '-x', '100', '-y', '10', `env -i PATH='${join(dir, 'bin')}:/usr/bin:/bin' HOME='${dir}' ZDOTDIR='${dir}' TERM=xterm '${zsh}' -i`);
    try {
      const screen = (): string => tmux('capture-pane', '-p', '-t', 'z');
      await waitFor(() => /^>/m.test(screen()), screen);
      tmux('send-keys', '-t', 'z', 'cicada run --spa', 'Tab');
      await waitFor(() => screen().includes('cicada run --spawn-rate'), screen);
      expect(screen()).toContain('> cicada run --spawn-rate');
    } finally {
      tmux('kill-server');
    }
  });

  it('a missing or unknown shell is bad input', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: completion: name one shell: bash, zsh, fish (got "tcsh")\n');
  });
});

async function waitFor(ok: () => boolean, show: () => string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out; the screen:\n${show()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
