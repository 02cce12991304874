/**
 * Reads an input file (a scenario or a data file) only when it is a regular file of bounded size:
 * a FIFO (opened without blocking), a device such as /dev/zero, a socket or a directory is refused
 * with what it is, and a file larger than `maxBytes` — or one that keeps growing while it is read —
 * is refused before it can fill the memory.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** A scenario file may be this large (a 10 MB scenario loads and reports its problems where they are). */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;
/** A data (CSV) file may be this large; its rows are held in memory for the whole run. */
export const MAX_DATA_BYTES = 256 * 1024 * 1024;

/** Why an input could not be read, in words for `cannot read ...: <message>`; `code` as Node's when it has one. */
export class InputFileError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'InputFileError';
  }
}

/** The bytes of `path`, or an `InputFileError` saying why not. */
export function readInputFile(path: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fromNode(e);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputFileError(notAFile(stat), 'ENOTFILE');
    if (stat.size > maxBytes) throw new InputFileError(`it is ${mb(stat.size)}, over the limit of ${mb(maxBytes)}`, 'EFBIG');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new InputFileError(`it grew past the limit of ${mb(maxBytes)} while being read (a file still being written?)`, 'EFBIG');
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    throw e instanceof InputFileError ? e : fromNode(e);
  } finally {
    closeSync(fd);
  }
}

function notAFile(stat: Stats): string {
  if (stat.isDirectory()) return 'it is a directory, not a file';
  if (stat.isFIFO()) return 'it is a named pipe (FIFO), not a file: save the content to a file first';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'it is a device, not a file';
  if (stat.isSocket()) return 'it is a socket, not a file';
  return 'it is not a regular file';
}

function fromNode(e: unknown): InputFileError {
  const code = (e as { code?: unknown }).code;
  const c = typeof code === 'string' ? code : 'EIO';
  const message =
    c === 'ENOENT' ? 'no such file'
    : c === 'EISDIR' ? 'it is a directory, not a file'
    : c === 'EACCES' || c === 'EPERM' ? 'permission denied'
    : c === 'ENOTDIR' ? 'a part of the path is not a directory'
    : c === 'ELOOP' ? 'too many symbolic links'
    : `${c}: ${String((e as Error).message ?? e).replace(/^\w+: /, '')}`;
  return new InputFileError(message, c);
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`;
}
