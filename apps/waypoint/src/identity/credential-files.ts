import { open, type FileHandle } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { isBearerToken, MAX_BEARER_TOKEN_LENGTH } from '@ambit/xds';
import { RootCertFileError, TokenFileError } from './errors.js';

/** Files larger than this are not PEM bundles. */
const MAX_PEM_BYTES = 1024 * 1024;
/** The token, and a line ending or some spaces after it. */
const MAX_TOKEN_FILE_BYTES = MAX_BEARER_TOKEN_LENGTH + 64;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The mesh roots as PEM, checked to hold at least one certificate. */
export async function readRootCerts(file: string): Promise<string> {
  const text = (await readSmallFile(file, MAX_PEM_BYTES, (problem, cause) => new RootCertFileError(file, problem, cause))).toString('utf8');
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new RootCertFileError(file, 'holds no "BEGIN CERTIFICATE" block');
  try {
    for (const block of blocks) new X509Certificate(block);
  } catch (error) {
    throw new RootCertFileError(file, `is not a PEM certificate bundle: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  return text;
}

/** The token of a token file: its one line, without the line ending. Never quoted in errors. */
export async function readToken(file: string): Promise<string> {
  const text = (await readSmallFile(file, MAX_TOKEN_FILE_BYTES, (problem, cause) => new TokenFileError(file, problem, cause))).toString('utf8').trim();
  if (text === '') throw new TokenFileError(file, 'is empty');
  if (!isBearerToken(text)) {
    throw new TokenFileError(file, `does not hold a bearer token: expected 1 to ${MAX_BEARER_TOKEN_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / (and trailing =) on one line; it has ${text.length} characters`);
  }
  return text;
}

/** Reads at most `maxBytes + 1` bytes: the extra byte tells a file is too large, without reading all of it. */
async function readSmallFile(file: string, maxBytes: number, fail: (problem: string, cause?: unknown) => Error): Promise<Buffer> {
  const buffer = Buffer.alloc(maxBytes + 1);
  let length = 0;
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0 || (length += bytesRead) === buffer.length) break;
    }
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
  if (length > maxBytes) throw fail(`is larger than ${maxBytes} bytes`);
  return buffer.subarray(0, length);
}
