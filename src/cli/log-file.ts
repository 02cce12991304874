/**
 * An append-only text file in the results directory (`script.log`), buffered: lines are written
 * when 64 KiB are waiting, at least once a second, and on `flush()`. Created on the first line;
 * stops at `maxBytes` with a last line saying so. Never throws: a failed write is a warning, once.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { fmtBytes } from '../stats/format.js';

const FLUSH_BYTES = 64 * 1024;

export class LogFile {
  private fd: number | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;
  private full = false;
  private failed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly path: string,
    private readonly onWarning: (message: string) => void,
    private readonly maxBytes = 100 * 1024 * 1024,
  ) {}

  append(line: string): void {
    if (this.full || this.failed) return;
    const bytes = Buffer.byteLength(line) + 1;
    if (this.written + this.pendingBytes + bytes > this.maxBytes) {
      this.full = true;
      this.pending.push(`(log stopped at ${fmtBytes(this.maxBytes)})`);
      this.flush();
      return;
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 1000).unref();
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 || this.failed) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingBytes = 0;
    try {
      this.fd ??= openSync(this.path, 'a');
      writeSync(this.fd, text);
      this.written += Buffer.byteLength(text);
      if (this.full) this.close();
    } catch (err) {
      this.failed = true;
      this.onWarning(`cannot write ${this.path}: ${(err as Error).message}`);
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = null;
  }
}
