import { X509Certificate } from 'node:crypto';
import { readSmallFile } from '@ambit/process';
import { readBearerTokenFile } from '@ambit/xds';
import { RootCertFileError, TokenFileError } from './errors.js';

/** Files larger than this are not PEM bundles. */
const MAX_PEM_BYTES = 1024 * 1024;
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
export function readToken(file: string): Promise<string> {
  return readBearerTokenFile(file, (problem, cause) => new TokenFileError(file, problem, cause));
}
