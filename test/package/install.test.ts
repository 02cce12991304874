/**
 * The package as a user gets it: `npm pack` of this checkout (the build `npm test` just made), then
 * `npm install -g` of the tarball into a temporary prefix (dependencies from npm's cache, or the
 * registry), then the installed `cicada` run from an empty folder elsewhere — `--version`, `demo`,
 * `init` + `run` against `demo-target`. Also: the LICENSE matches package.json, and every relative link in the shipped
 * Markdown resolves to a file (and heading) inside the package.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; license: string; bin: Record<string, string> };
const run = promisify(execFile);

let prefix: string;
let installed: string;
let bin: string;

beforeAll(async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cicada-pack-'));
  // --ignore-scripts: `prepack` would delete and rebuild dist/ under the other test files' feet;
  // `npm test` has just built it.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT });
  const tarball = join(tmp, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  prefix = join(tmp, 'prefix');
  await run('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: tmp });
  installed = join(prefix, 'lib', 'node_modules', pkg.name);
  bin = join(prefix, 'bin', 'cicada');
}, 120_000);

/** Runs the installed `cicada` in `cwd` with only PATH (the prefix's bin first) and HOME set. */
function cicada(args: string[], cwd: string, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, {
      cwd,
      env: { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'cicada-elsewhere-'));

describe(`the ${pkg.name} package, installed globally from its tarball`, () => {
  it('is named cicada-load and installs the cicada command', () => {
    expect(pkg.name).toBe('cicada-load');
    expect(Object.keys(pkg.bin)).toEqual(['cicada']);
    expect(existsSync(bin)).toBe(true);
  });

  it('cicada --version prints the package version, from any folder', async () => {
    const r = await cicada(['--version'], emptyDir());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('cicada demo runs the bundled target and scenario, writing results in the current folder', async () => {
    const cwd = emptyDir();
    const r = await cicada(['demo', '--headless', '--only-summary', '-t', '2s', '-u', '5', '-r', '50'], cwd);
    expect(r.stderr).toMatch(/demo target listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(r.code).toBe(0);
    const [dir] = readdirSync(join(cwd, 'results')).filter((d) => d !== 'latest');
    expect(dir).toMatch(/^demo-\d{8}-\d{6}$/);
    const summary = JSON.parse(readFileSync(join(cwd, 'results', dir!, 'summary.json'), 'utf8')) as { totals: { requests: number } };
    expect(summary.totals.requests).toBeGreaterThan(5);
  });

  it('cicada init writes a starter that cicada run runs against cicada demo-target, from an empty folder', async () => {
    const cwd = emptyDir();
    const init = await cicada(['init'], cwd);
    expect(init.code).toBe(0);
    const target = spawn(bin, ['demo-target', '--port', '0', '--quiet'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        target.stdout.on('data', (c: Buffer) => {
          out += c;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m !== null) resolve(m[1]!);
        });
        target.on('exit', (code) => reject(new Error(`demo-target exited (${code}): ${out}`)));
      });
      const r = await cicada(['run', 'scenario.yaml', '--host', url, '--headless', '--only-summary', '-u', '2', '-r', '20', '-t', '2s'], cwd);
      expect(r.code).toBe(0);
      const [dir] = readdirSync(join(cwd, 'results'));
      const summary = JSON.parse(readFileSync(join(cwd, 'results', dir!, 'summary.json'), 'utf8')) as { totals: { requests: number; failures: number } };
      expect(summary.totals.requests).toBeGreaterThan(2);
      expect(summary.totals.failures).toBe(0);
    } finally {
      target.kill('SIGTERM');
    }
  });

  it('ships a LICENSE whose licence is the one package.json names', () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(join(installed, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n/);
    expect(license).toContain('Permission is hereby granted, free of charge');
  });

  it('every relative link in the shipped Markdown resolves inside the installed package', () => {
    const markdown = listFiles(installed).filter((f) => f.endsWith('.md'));
    expect(markdown.map((f) => relative(installed, f))).toEqual(expect.arrayContaining(['README.md', join('scenarios', 'README.md')]));
    const broken: string[] = [];
    let checked = 0;
    for (const file of markdown) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1]!;
        if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
        checked++;
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? file : normalize(join(dirname(file), path));
        const where = `${relative(installed, file)} → ${link}`;
        if (!target.startsWith(installed) || !existsSync(target)) broken.push(`${where}: no such file in the package`);
        else if (anchor !== undefined && target.endsWith('.md') && !headingSlugs(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${where}: no such heading`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === 'node_modules' ? [] : e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** GitHub's anchors for a Markdown file's headings: lower case, punctuation dropped, spaces → `-`. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n === 0 ? base : `${base}-${n}`);
  }
  return slugs;
}
