/**
 * A real headless Chromium for tests, driven over the DevTools protocol: it opens one page, lets the
 * test evaluate expressions in it, take a screenshot, print it to PDF and switch the colour scheme.
 * Launched with a fresh profile, no network services, on a loopback debugging port the system
 * picks; `close()` kills its process group and removes the profile.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';

export const CHROMIUM = process.env.CICADA_CHROMIUM || '/usr/bin/chromium';

export interface Page {
  /** Evaluates `expression` in the page and returns its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /**
   * Resolves when `expression` is truthy in the page (checked every 50 ms), with its value; rejects
   * after `timeoutMs` (default 30 s) naming the expression.
   */
  waitFor<T>(expression: string, timeoutMs?: number): Promise<T>;
  /** Any DevTools method on the page. */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` with the params of every DevTools event named `method` (`Network.responseReceived`). */
  on(method: string, listener: (params: Record<string, unknown>) => void): void;
  close(): Promise<void>;
}

export async function openPage(url: string, opts: { width?: number; height?: number } = {}): Promise<Page> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run node test/support/ensure-tools.mjs (or set CICADA_CHROMIUM)`);
  const profile = mkdtempSync(join(tmpdir(), 'cicada-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--window-size=${opts.width ?? 1200},${opts.height ?? 900}`,
      url,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const kill = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const port = await debuggingPort(child);
    const target = await pageTarget(port, url);
    const ws = new WebSocket(target);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${target}`)));
    });
    let nextId = 0;
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    const listeners = new Map<string, ((params: Record<string, unknown>) => void)[]>();
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown> };
      if (msg.id === undefined) {
        for (const l of listeners.get(msg.method ?? '') ?? []) l(msg.params ?? {});
        return;
      }
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error !== undefined) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    });
    const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
        expression,
        returnByValue: true,
      });
      if (r.exceptionDetails !== undefined) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value as T;
    };
    const waitFor = async <T>(expression: string, timeoutMs = 30_000): Promise<T> => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        // Before the navigation commits, the page is an empty about:blank that is already complete.
        const value = await evaluate<T>(expression).catch(() => undefined);
        if (value) return value;
        if (Date.now() > until) throw new Error(`the page never satisfied ${expression} within ${timeoutMs} ms`);
        await sleep(50);
      }
    };
    await waitFor(`document.readyState === 'complete' && location.href === ${JSON.stringify(url)}`);
    return {
      evaluate,
      waitFor,
      send,
      on: (method, listener) => void listeners.set(method, [...(listeners.get(method) ?? []), listener]),
      close: async () => {
        ws.close();
        kill();
      },
    };
  } catch (err) {
    kill();
    throw err;
  }
}

function debuggingPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start within 30 s:\n${err}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited (${code}) before listening:\n${err}`));
    });
  });
}

async function pageTarget(port: number, url: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/json/list`);
    const list = (await res.json()) as { type: string; url: string; webSocketDebuggerUrl: string }[];
    const page = list.find((t) => t.type === 'page' && t.url === url);
    if (page !== undefined) return page.webSocketDebuggerUrl;
    await sleep(100);
  }
  throw new Error(`chromium has no page for ${url}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
