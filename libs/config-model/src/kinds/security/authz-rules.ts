/**
 * Pure rules of AuthorizationPolicy values, as Istio's validation and its policy
 * builder read them: condition (`when`) keys, string patterns of principals and
 * namespaces, service accounts, ports and path templates. Each check returns an
 * error message, or undefined when the value is accepted.
 */

/** How Istio matches a principal, namespace, host or path value. */
export type StringPattern =
  | { readonly kind: 'presence' }
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string };

/**
 * Reads a principal/namespace/host/path value as Istio does: `*` alone matches any
 * non-empty value, a leading `*` is a suffix match, a trailing `*` a prefix match.
 * Any other `*` (in the middle, or a second one) is matched literally.
 */
export function classifyStringPattern(pattern: string): StringPattern {
  if (pattern === '*') return { kind: 'presence' };
  if (pattern.startsWith('*')) return { kind: 'suffix', value: pattern.slice(1) };
  if (pattern.endsWith('*')) return { kind: 'prefix', value: pattern.slice(0, -1) };
  return { kind: 'exact', value: pattern };
}

/** Whether `value` is matched by `pattern` (see classifyStringPattern). */
export function matchesStringPattern(pattern: string, value: string): boolean {
  const p = classifyStringPattern(pattern);
  switch (p.kind) {
    case 'presence':
      return value.length > 0;
    case 'exact':
      return value === p.value;
    case 'prefix':
      return value.startsWith(p.value);
    case 'suffix':
      return value.endsWith(p.value);
  }
}

/** Condition keys that take a bracketed name: `request.headers[User-Agent]`. */
const MAP_KEY_PREFIXES = [
  'request.headers',
  'request.experimental.inline.headers',
  'request.auth.claims',
  'experimental.envoy.filters.',
] as const;

/** Condition keys used as they are. */
const PLAIN_KEYS = [
  'source.ip',
  'remote.ip',
  'source.namespace',
  'source.serviceAccount',
  'source.principal',
  'request.auth.principal',
  'request.auth.audiences',
  'request.auth.presenter',
  'destination.ip',
  'destination.port',
  'connection.sni',
] as const;

/** Every key form Istio accepts in `when`, for hints and docs. */
export const CONDITION_KEY_FORMS: readonly string[] = [
  'request.headers[<name>]',
  'request.experimental.inline.headers[<name>]',
  ...PLAIN_KEYS.slice(0, 8),
  'request.auth.claims[<claim>]',
  ...PLAIN_KEYS.slice(8),
  'experimental.envoy.filters.<filter>[<field>]',
];

/** Which value format a condition key takes. */
export type ConditionValueKind = 'ip' | 'port' | 'serviceAccount' | 'string';

/** Istio's a[b] form: a name, then a non-empty bracketed part that ends the key. */
function hasMapKey(key: string): boolean {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2;
}

/**
 * Checks a `when` key. Returns the kind of values it takes, or an error. Istio
 * tests the bracketed prefixes first, by plain prefix, so `request.headers[x]`
 * and `request.auth.claims[iss]` are both accepted.
 */
export function checkConditionKey(key: string): { error: string; hint?: string } | { valueKind: ConditionValueKind } {
  if (key === '') return { error: 'key must not be empty' };
  for (const prefix of MAP_KEY_PREFIXES) {
    if (key.startsWith(prefix)) {
      if (hasMapKey(key)) return { valueKind: 'string' };
      return { error: `key "${key}" must have the form ${prefix.endsWith('.') ? `${prefix}<name>[<field>]` : `${prefix}[<name>]`}` };
    }
  }
  switch (key) {
    case 'source.ip':
    case 'remote.ip':
    case 'destination.ip':
      return { valueKind: 'ip' };
    case 'destination.port':
      return { valueKind: 'port' };
    case 'source.serviceAccount':
      return { valueKind: 'serviceAccount' };
    case 'source.namespace':
    case 'source.principal':
    case 'request.auth.principal':
    case 'request.auth.audiences':
    case 'request.auth.presenter':
    case 'connection.sni':
      return { valueKind: 'string' };
    case 'destination.namespace':
      return { error: `key "${key}" is not supported`, hint: 'the policy namespace (metadata.namespace) already selects it' };
    case 'destination.name':
    case 'destination.user':
      return { error: `key "${key}" is not supported`, hint: 'it was only supported by the removed v1alpha1 API' };
  }
  if (key.startsWith('destination.labels')) {
    return { error: `key "${key}" is not supported`, hint: 'use the policy selector to choose workloads by label' };
  }
  return { error: `unknown condition key "${key}"`, hint: `use one of ${CONDITION_KEY_FORMS.join(', ')}` };
}

/** Maximum length Istio allows for a service account value. */
export const MAX_SERVICE_ACCOUNT_LENGTH = 320;
/** Maximum number of serviceAccounts/notServiceAccounts values in one source. */
export const MAX_SERVICE_ACCOUNTS = 16;

/** A service account value: `name` (policy namespace) or `namespace/name`, no wildcard. */
export function checkServiceAccount(value: string): string | undefined {
  if (value === '') return 'empty value not allowed';
  if (value.includes('*')) return `wildcard not allowed in service account "${value}"`;
  if (value.length > MAX_SERVICE_ACCOUNT_LENGTH) return `service account "${value.slice(0, 40)}…" is longer than ${MAX_SERVICE_ACCOUNT_LENGTH} characters`;
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    return `service account "${value}" must have the form name or namespace/name`;
  }
  return undefined;
}

/** A port in an operation or `destination.port` condition: a decimal number 0..65535. */
export function checkPortString(value: string): string | undefined {
  if (!/^\d+$/.test(value) || Number(value) > 65535) return `"${value}" is not a port number (0-65535)`;
  return undefined;
}

const MATCH_ONE = '{*}';
const MATCH_ANY = '{**}';
/** RFC 3986 pchar (without `/`), as Envoy requires for the literal parts of a path template. */
const PATH_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/**
 * A path in an operation. Plain paths may use `*` as a prefix/suffix wildcard.
 * Path templates use `{*}` (one segment) and `{**}` (any segments, last operator
 * only); in a template every other segment must be a valid literal.
 */
export function checkPathTemplate(path: string): string | undefined {
  const isTemplate = path.includes(MATCH_ONE) || path.includes(MATCH_ANY);
  let sawMatchAny = false;
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  for (const segment of trimmed.split('/')) {
    if (segment === MATCH_ONE || segment === MATCH_ANY) {
      if (sawMatchAny) return `path "${path}" is invalid: {**} must be the last operator`;
      if (segment === MATCH_ANY) sawMatchAny = true;
      continue;
    }
    if (segment.includes('{') || segment.includes('}')) {
      return `path "${path}" is invalid: "{" and "}" may only appear in {*} or {**}`;
    }
    if (isTemplate && !PATH_LITERAL.test(segment)) {
      return `path "${path}" is invalid: segment "${segment}" is not a valid literal in a path template`;
    }
  }
  return undefined;
}

/** Go's strconv.ParseBool, which Istio uses for the `istio.io/dry-run` annotation. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}
