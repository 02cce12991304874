/**
 * Terminal streams for running `runTui` without a terminal: a stdout of a chosen size that keeps
 * what is written, and a stdin that Ink can put in raw mode and that the test types into.
 */
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  chunks: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (data: string): boolean => {
    this.chunks.push(data);
    return true;
  };
  get output(): string {
    return this.chunks.join('');
  }
}

export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  rawMode = false;
  private pending: string[] = [];
  setRawMode(on: boolean): void {
    this.rawMode = on;
  }
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => this.pending.shift() ?? null;
  /** Types `data` as if a key was pressed. */
  type(data: string): void {
    this.pending.push(data);
    this.emit('readable');
    this.emit('data', data);
  }
}
