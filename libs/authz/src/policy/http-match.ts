import type { securityV1 } from '@ambit/xds';
import type { RequestFacts } from '../engine/request.js';
import type { CidrSet } from '../ip/cidr-set.js';
import { anyMatches, KeyedMatchers } from '../match/keyed-matchers.js';
import type { StringMatchers } from '../match/string-matchers.js';
import { cidrs, strings, type FieldFailure } from './fields.js';

/** The HTTP string fields of a Match, each with its `not_` form. */
const STRING_FIELDS = ['hosts', 'methods', 'paths', 'requestPrincipals', 'audiences', 'presenters', 'serverNames'] as const;
type StringField = (typeof STRING_FIELDS)[number];
type NotField = `not${Capitalize<StringField>}`;

const notOf = (field: StringField): NotField => `not${field[0]!.toUpperCase()}${field.slice(1)}` as NotField;

/**
 * The HTTP attributes of one Match (hosts, methods, paths, remote IPs, request
 * principals, JWT audiences and presenter, SNI, header and claim conditions), as
 * Envoy's RBAC filter evaluates what Istio generates for them. Set fields AND; within
 * a field any value may match; a `not_` field holds when none does.
 *
 * Without a request (at L4) every attribute is absent, and so is a JWT attribute when
 * no verified JWT came with the request: a positive field then does not hold and a
 * `not_` field does (`notRequestPrincipals: ["*"]` matches a request without a token).
 */
export class HttpMatch {
  readonly #strings: readonly { readonly field: StringField; readonly matchers: StringMatchers; readonly negated: boolean }[];
  readonly #remote: CidrSet | undefined;
  readonly #notRemote: CidrSet | undefined;
  readonly #headers: KeyedMatchers | undefined;
  readonly #claims: KeyedMatchers | undefined;

  private constructor(match: securityV1.Match, fail: FieldFailure) {
    const compiled: { field: StringField; matchers: StringMatchers; negated: boolean }[] = [];
    for (const field of STRING_FIELDS) {
      for (const [name, negated] of [
        [field, false],
        [notOf(field), true],
      ] as const) {
        const matchers = strings(match[name], name, fail);
        if (matchers !== undefined) compiled.push({ field, matchers, negated });
      }
    }
    this.#strings = compiled;
    this.#remote = cidrs(match.remoteIps, 'remoteIps', fail);
    this.#notRemote = cidrs(match.notRemoteIps, 'notRemoteIps', fail);
    this.#headers = keyed(match.headers, 'headers', fail);
    this.#claims = keyed(match.claims, 'claims', fail);
  }

  /** The HTTP part of a wire match, or undefined when it sets no HTTP field. */
  static compile(match: securityV1.Match, fail: FieldFailure): HttpMatch | undefined {
    const any =
      STRING_FIELDS.some((f) => match[f].length > 0 || match[notOf(f)].length > 0) ||
      match.remoteIps.length > 0 ||
      match.notRemoteIps.length > 0 ||
      match.headers.length > 0 ||
      match.claims.length > 0;
    return any ? new HttpMatch(match, fail) : undefined;
  }

  matches(r: RequestFacts | undefined): boolean {
    const list = this.#strings;
    for (let i = 0; i < list.length; i++) {
      const { field, matchers, negated } = list[i]!;
      if (matchesField(matchers, field, r) === negated) return false;
    }
    if (this.#remote !== undefined && (r === undefined || !this.#remote.contains(r.remote))) return false;
    if (this.#notRemote !== undefined && r !== undefined && this.#notRemote.contains(r.remote)) return false;
    if (this.#headers !== undefined && !this.#headers.matches(r === undefined ? absent : (key) => r.header(key[0]!))) return false;
    if (this.#claims !== undefined && !this.#claims.matches(r === undefined ? absent : (key) => r.claim(key))) return false;
    return true;
  }
}

function absent(): undefined {
  return undefined;
}

function matchesField(matchers: StringMatchers, field: StringField, r: RequestFacts | undefined): boolean {
  if (r === undefined) return false;
  switch (field) {
    case 'hosts':
      return matchers.matches(r.host, 0);
    case 'methods':
      return matchers.matches(r.method, 0);
    case 'paths':
      return matchers.matches(r.path, 0);
    case 'requestPrincipals':
      return matchers.matches(r.requestPrincipal, r.requestPrincipalFrom);
    case 'serverNames':
      return matchers.matches(r.sni, r.sniFrom);
    case 'audiences':
      return anyMatches(matchers, r.claim(AUDIENCE));
    case 'presenters':
      return anyMatches(matchers, r.claim(PRESENTER));
  }
}

const AUDIENCE = ['aud'];
const PRESENTER = ['azp'];

function keyed(values: readonly securityV1.KeyedMatch[], field: string, fail: FieldFailure): KeyedMatchers | undefined {
  if (values.length === 0) return undefined;
  return KeyedMatchers.compile(values, (i, part, reason) => fail(`${field}[${i}].${part}`, reason));
}
