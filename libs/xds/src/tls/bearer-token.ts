import type { Metadata } from '@grpc/grpc-js';
import { UnauthenticatedCallError } from '../errors.js';

/** Longer tokens are refused unread (a Kubernetes service-account token is 1–2 KiB). */
export const MAX_BEARER_TOKEN_LENGTH = 8192;

const AUTHORIZATION = 'authorization';
/** RFC 6750's b64token: what a bearer token may be made of. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const BEARER_PREFIX = /^bearer +/i;

/** Whether `token` can travel as `authorization: Bearer <token>`. */
export function isBearerToken(token: string): boolean {
  return token.length <= MAX_BEARER_TOKEN_LENGTH && TOKEN.test(token);
}

/** `authorization` metadata carrying `token`, for a client call. */
export function authorizationValue(token: string): string {
  return `Bearer ${token}`;
}

/**
 * The bearer token of a call's `authorization` metadata, or undefined when the call
 * carries none. Metadata that is there but is not exactly one `Bearer <token>` refuses
 * the call: a client that meant to authenticate and got it wrong is told so rather than
 * treated as anonymous. Messages never quote the value.
 */
export function bearerTokenOf(metadata: Metadata): string | undefined {
  const values = metadata.get(AUTHORIZATION);
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1) throw new UnauthenticatedCallError(`the call carries ${values.length} authorization values, expected one`);
  if (typeof value !== 'string' || value.length > MAX_BEARER_TOKEN_LENGTH + 16) {
    throw new UnauthenticatedCallError(`the authorization metadata is not "Bearer <token>" with a token of at most ${MAX_BEARER_TOKEN_LENGTH} characters`);
  }
  const prefix = BEARER_PREFIX.exec(value);
  const token = prefix === null ? '' : value.slice(prefix[0].length);
  if (!isBearerToken(token)) throw new UnauthenticatedCallError(`the authorization metadata is not "Bearer <token>" with a token of at most ${MAX_BEARER_TOKEN_LENGTH} characters`);
  return token;
}
