import { isRecord } from '../../schema/object.js';

/**
 * Checks for RequestAuthentication JWT rules, as Istio's validation applies them.
 * Each returns an error message, or undefined when the value is accepted.
 */

/** Istio's CRD limit on a JWKS URI. */
export const MAX_JWKS_URI_LENGTH = 2048;

/** A JWKS URI: an http:// or https:// URL that parses. */
export function checkJwksUri(uri: string): string | undefined {
  if (uri === '') return 'jwksUri must not be empty';
  if (uri.length > MAX_JWKS_URI_LENGTH) return `jwksUri is longer than ${MAX_JWKS_URI_LENGTH} characters`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return `jwksUri "${uri}" must use the http or https scheme`;
  try {
    new URL(uri);
  } catch {
    return `jwksUri "${uri}" is not a valid URL`;
  }
  return undefined;
}

function checkJwk(key: unknown, where: string): string | undefined {
  if (!isRecord(key)) return `${where} is not a JSON object`;
  if (typeof key['kty'] !== 'string' || key['kty'] === '') return `${where} has no "kty" (key type)`;
  return undefined;
}

/**
 * An inline JWKS: a JSON Web Key Set (`{"keys": [...]}`) or a single JSON Web Key,
 * each key with its `kty`.
 */
export function checkJwks(jwks: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwks);
  } catch {
    return 'jwks is not valid JSON';
  }
  if (!isRecord(parsed)) return 'jwks must be a JSON object (a JSON Web Key Set)';
  if (!('keys' in parsed)) return checkJwk(parsed, 'jwks');
  const keys = parsed['keys'];
  if (!Array.isArray(keys)) return 'jwks "keys" must be a list';
  for (let i = 0; i < keys.length; i++) {
    const err = checkJwk(keys[i], `jwks key ${i}`);
    if (err !== undefined) return err;
  }
  return undefined;
}

/** Istio's strict header-name check for outputClaimToHeaders: letters, digits and '-'. */
export function checkStrictHeaderName(name: string): string | undefined {
  if (name === '') return 'header name must not be empty';
  if (!/^[-A-Za-z0-9]+$/.test(name)) return `"${name}" is not a valid header name (use letters, digits and '-')`;
  return undefined;
}
