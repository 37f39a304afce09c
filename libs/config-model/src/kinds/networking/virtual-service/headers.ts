import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report } from '../../../schema/object.js';

/** RFC 7230 token characters: what an HTTP header name may contain. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS: ReadonlySet<string> = new Set([':method', ':scheme', ':authority', ':path', ':status']);

/**
 * A JWT claim used as a routing header: `@request.auth.claims.<name>[.<name>...]` or
 * `@request.auth.claims[<name>][<name>...]`. Istio allows these in match headers.
 */
export function isJwtClaimHeader(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  if (rest.startsWith('.')) return rest.slice(1).split('.').every((part) => part !== '');
  return /^(\[[^\][]+\])+$/.test(rest);
}

/** A header name in a match (`headers`, `withoutHeaders`): a token, a pseudo-header or a JWT claim. */
export function checkMatchHeaderName(name: string): string | undefined {
  if (name === '') return 'header name must not be empty';
  if (isJwtClaimHeader(name) || PSEUDO_HEADERS.has(name)) return undefined;
  if (!HEADER_TOKEN.test(name)) return `"${name}" is not a valid HTTP header name`;
  return undefined;
}

/** A header name in a CORS policy: a token or `*`. */
export function checkCorsHeaderName(name: string): string | undefined {
  if (name === '') return 'header name must not be empty';
  if (name === '*' || HEADER_TOKEN.test(name)) return undefined;
  return `"${name}" is not a valid HTTP header name`;
}

const isAuthorityHeader = (name: string): boolean => name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';

/**
 * A header to set or add on requests. Pseudo-headers (`:path`, …) cannot be changed;
 * `:authority`/`Host` can (Istio then checks it is rewritten in one place only).
 */
export function checkRequestHeaderToSet(name: string): string | undefined {
  if (name === '') return 'header name must not be empty';
  if (name.startsWith(':') && !isAuthorityHeader(name)) return `header "${name}" cannot be modified: names starting with ":" are pseudo-headers`;
  return undefined;
}

/** A header to remove from requests, or to set, add or remove on responses. */
export function checkHeaderToModify(name: string): string | undefined {
  if (name === '') return 'header name must not be empty';
  if (name.toLowerCase() === 'host') return `header "${name}" cannot be modified here`;
  if (name.startsWith(':')) return `header "${name}" cannot be modified: names starting with ":" are pseudo-headers`;
  return undefined;
}

/**
 * A header value as Envoy's header formatter parses it: `%%` is a literal percent,
 * `%NAME%` and `%NAME(args)%` are variables (args: a bare string, or a JSON-style
 * array of quoted strings). Control characters other than tab are not allowed.
 * Returns an error message or undefined.
 */
export function checkHeaderValue(value: string): string | undefined {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if ((code <= 0x1f && code !== 0x09) || code === 0x7f) return `header value ${JSON.stringify(value)} contains a control character`;
  }
  type State = 'literal' | 'name' | 'args' | 'arrayItem' | 'string' | 'afterItem' | 'closeParen' | 'closePercent';
  let state: State = 'literal';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (i + 1 >= value.length) return `header value ${JSON.stringify(value)} ends with an unescaped "%"`;
        if (value[i + 1] === '%') i++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'args';
        break;
      case 'args':
        if (ch === '[') state = 'arrayItem';
        else if (ch !== ' ') state = 'string';
        break;
      case 'arrayItem':
        if (ch === '"') state = 'string';
        else if (ch !== ' ') return `header value ${JSON.stringify(value)}: expected '"' to start a variable argument`;
        break;
      case 'string':
        if (ch === '\\') {
          if (i + 1 >= value.length) return `header value ${JSON.stringify(value)} ends with an unterminated backslash`;
          i++;
        } else if (ch === ')') state = 'closePercent';
        else if (ch === '"') state = 'afterItem';
        break;
      case 'afterItem':
        if (ch === ',') state = 'arrayItem';
        else if (ch === ']') state = 'closeParen';
        else if (ch !== ' ') return `header value ${JSON.stringify(value)}: expected ",", "]" or a space in variable arguments`;
        break;
      case 'closeParen':
        if (ch === ')') state = 'closePercent';
        else if (ch !== ' ') return `header value ${JSON.stringify(value)}: expected ")" after variable arguments`;
        break;
      case 'closePercent':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return `header value ${JSON.stringify(value)}: expected "%" to close the variable`;
        break;
    }
  }
  if (state !== 'literal') return `header value ${JSON.stringify(value)} has an unterminated %VARIABLE% expression`;
  return undefined;
}

const VALUE_HINT = 'write a literal % as %%; variables look like %HOSTNAME% or %REQ(x-id)%';

function headerValueMap(checkName: (name: string) => string | undefined) {
  return z.record(z.string(), z.string()).superRefine((map, ctx) => {
    for (const [name, value] of Object.entries(map)) {
      const nameErr = checkName(name);
      if (nameErr !== undefined) report(ctx, IssueCode.Value, nameErr, { path: [name] });
      const valueErr = checkHeaderValue(value);
      if (valueErr !== undefined) report(ctx, IssueCode.Value, valueErr, { path: [name], hint: VALUE_HINT });
    }
  });
}

function headerNameList(checkName: (name: string) => string | undefined) {
  return z.array(z.string()).superRefine((names, ctx) => {
    names.forEach((name, i) => {
      const err = checkName(name);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [i] });
    });
  });
}

/** Headers.HeaderOperations: `set`, `add`, `remove`, for requests or responses. */
function headerOperations(direction: 'request' | 'response') {
  const toSet = direction === 'request' ? checkRequestHeaderToSet : checkHeaderToModify;
  return obj({
    set: headerValueMap(toSet).optional(),
    add: headerValueMap(toSet).optional(),
    remove: headerNameList(checkHeaderToModify).optional(),
  });
}

/** networking Headers: header manipulation for requests and responses. */
export const headers = () =>
  obj({
    request: headerOperations('request').optional(),
    response: headerOperations('response').optional(),
  });

export type HeadersOutput = z.output<ReturnType<typeof headers>>;

/** Which request-header entries (`set`/`add`) rewrite the authority, as paths below `headers`. */
export function authorityHeaderPaths(h: HeadersOutput | undefined): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  for (const op of ['set', 'add'] as const) {
    for (const name of Object.keys(h?.request?.[op] ?? {})) {
      if (isAuthorityHeader(name)) out.push(['request', op, name]);
    }
  }
  return out;
}
