import { open, type FileHandle } from 'node:fs/promises';

/**
 * Reads a file that must be small (a PEM bundle, a token) without reading more than
 * `maxBytes + 1` of a larger one: the extra byte tells it is too large. `fail` makes the
 * caller's typed error from a problem ("cannot be read (ENOENT)") and its cause.
 */
export async function readSmallFile(file: string, maxBytes: number, fail: (problem: string, cause?: unknown) => Error): Promise<Buffer> {
  const buffer = Buffer.alloc(maxBytes + 1);
  let length = 0;
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
  if (length > maxBytes) throw fail(`is larger than ${maxBytes} bytes`);
  return buffer.subarray(0, length);
}
