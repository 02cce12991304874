/**
 * Where the CLI writes: tables to stdout, messages to stderr. Writes never throw: after a dropped
 * SSH session (SIGHUP) the terminal is gone and a write fails with EIO or EPIPE; the run must still
 * write its results.
 */
export const EXIT = {
  ok: 0,
  /** A threshold failed, a request failed (see `run/verdict.ts`), or a regression in `compare`. */
  failed: 1,
  badInput: 2,
  /** cicada itself failed; results so far were written. */
  crashed: 3,
  sighup: 129,
  sigint: 130,
  sigterm: 143,
} as const;

export interface Output {
  /** A table or report, to stdout. */
  print(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

function safeWrite(stream: NodeJS.WriteStream, text: string): void {
  try {
    if (!stream.writable) return;
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  } catch {
    // the terminal is gone; results still go to files
  }
}

for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

export const consoleOutput: Output = {
  print: (t) => safeWrite(process.stdout, t),
  info: (t) => safeWrite(process.stderr, t),
  warn: (t) => safeWrite(process.stderr, `warning: ${t}`),
  error: (t) => safeWrite(process.stderr, t.startsWith('error') ? t : `error: ${t}`),
};
