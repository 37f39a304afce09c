import { readSmallFile } from '@ambit/process';
import { isBearerToken, MAX_BEARER_TOKEN_LENGTH } from './bearer-token.js';

/** The token, and a line ending or some spaces after it. */
const MAX_TOKEN_FILE_BYTES = MAX_BEARER_TOKEN_LENGTH + 64;

/**
 * The bearer token of a token file (a node's bootstrap token): its one line, without the
 * line ending. `fail` makes the caller's typed error from a problem and its cause; the
 * problem never quotes the file's content, only what is wrong with it.
 */
export async function readBearerTokenFile(file: string, fail: (problem: string, cause?: unknown) => Error): Promise<string> {
  const text = (await readSmallFile(file, MAX_TOKEN_FILE_BYTES, fail)).toString('utf8').trim();
  if (text === '') throw fail('is empty');
  if (!isBearerToken(text)) {
    throw fail(`does not hold a bearer token: expected 1 to ${MAX_BEARER_TOKEN_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / (and trailing =) on one line; it has ${text.length} characters`);
  }
  return text;
}
