import type { l7V1 } from '@ambit/xds';
import { appendHeader, type HeaderMap } from '../http/headers.js';
import type { RequestView } from '../routing/request-view.js';

/** What `%VARIABLES%` in header values may read. */
export interface HeaderVariables {
  readonly request: RequestView;
  /** `HTTP/1.1` or `HTTP/2`. */
  readonly protocol: string;
}

type Value = (vars: HeaderVariables) => string;

/** Compiled HeaderOperations: remove, then set (replace), then add (append), as Envoy evaluates a header list. */
export type HeaderOperations = (headers: HeaderMap, vars: HeaderVariables) => void;

export function compileHeaderOperations(ops: l7V1.HeaderOperations | null): HeaderOperations | undefined {
  if (ops === null || ops.set.length + ops.add.length + ops.remove.length === 0) return undefined;
  const remove = ops.remove.map((name) => name.toLowerCase()).filter(mutable);
  const set = ops.set.filter((h) => mutable(h.name.toLowerCase())).map((h) => ({ name: h.name.toLowerCase(), value: compileValue(h.value) }));
  const add = ops.add.filter((h) => mutable(h.name.toLowerCase())).map((h) => ({ name: h.name.toLowerCase(), value: compileValue(h.value) }));
  return (headers, vars) => {
    for (const name of remove) delete headers[name];
    for (const { name, value } of set) headers[name] = value(vars);
    for (const { name, value } of add) appendHeader(headers, name, value(vars));
  };
}

/** Pseudo-headers are the engine's to set, never a route's (Envoy refuses to edit them too). */
function mutable(name: string): boolean {
  return name !== '' && !name.startsWith(':');
}

const VARIABLE = /%([A-Z_]+)(?:\(([^)]*)\))?%|%%/g;

/**
 * Envoy-style `%VARIABLES%`: DOWNSTREAM_REMOTE_ADDRESS(_WITHOUT_PORT), REQ(header) and
 * PROTOCOL; `%%` is a literal `%`. Anything else stays as written, so that a value
 * with an unknown variable is still sent (Envoy would reject the config; the control
 * plane does not send such values).
 */
export function compileValue(template: string): Value {
  if (!template.includes('%')) return () => template;
  const parts: Value[] = [];
  let last = 0;
  for (const m of template.matchAll(VARIABLE)) {
    const literal = template.slice(last, m.index);
    if (literal !== '') parts.push(() => literal);
    last = m.index + m[0].length;
    parts.push(variable(m[0], m[1], m[2]));
  }
  const rest = template.slice(last);
  if (rest !== '') parts.push(() => rest);
  return (vars) => parts.map((part) => part(vars)).join('');
}

function variable(text: string, name: string | undefined, argument: string | undefined): Value {
  switch (name) {
    case undefined:
      return () => '%';
    case 'DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT':
    case 'DOWNSTREAM_REMOTE_ADDRESS':
      return (vars) => vars.request.source.ip ?? '';
    case 'PROTOCOL':
      return (vars) => vars.protocol;
    case 'REQ':
      if (argument !== undefined) {
        const header = argument.toLowerCase();
        return (vars) => vars.request.header(header) ?? '';
      }
      return () => text;
    default:
      return () => text;
  }
}
