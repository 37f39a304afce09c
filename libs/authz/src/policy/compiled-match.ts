import type { securityV1 } from '@ambit/xds';
import type { ConnectionFacts } from '../engine/connection.js';
import type { CidrSet } from '../ip/cidr-set.js';
import type { StringMatchers } from '../match/string-matchers.js';
import { cidrs, ports, strings, type FieldFailure } from './fields.js';
import { HttpMatch } from './http-match.js';

export type { FieldFailure } from './fields.js';

/**
 * One `Match`: every field that is set must hold (AND); within a field any value may
 * match (OR); a `not_` field holds when none of its values match. An unset field holds.
 * This is ztunnel's `matches_internal` over destination IPs, source IPs, destination
 * ports, principals and namespaces (src/rbac.rs), plus the HTTP attributes a waypoint
 * evaluates (HttpMatch), which hold only over a request.
 */
export class CompiledMatch {
  readonly #namespaces: StringMatchers | undefined;
  readonly #notNamespaces: StringMatchers | undefined;
  readonly #principals: StringMatchers | undefined;
  readonly #notPrincipals: StringMatchers | undefined;
  readonly #sourceIps: CidrSet | undefined;
  readonly #notSourceIps: CidrSet | undefined;
  readonly #destinationIps: CidrSet | undefined;
  readonly #notDestinationIps: CidrSet | undefined;
  readonly #ports: Uint16Array | undefined;
  readonly #notPorts: Uint16Array | undefined;
  readonly #http: HttpMatch | undefined;
  /** What a match with no field set decides; see `compile`. */
  readonly #ifEmpty: boolean | undefined;

  private constructor(match: securityV1.Match, ifEmpty: boolean, fail: FieldFailure) {
    this.#namespaces = strings(match.namespaces, 'namespaces', fail);
    this.#notNamespaces = strings(match.notNamespaces, 'notNamespaces', fail);
    this.#principals = strings(match.principals, 'principals', fail);
    this.#notPrincipals = strings(match.notPrincipals, 'notPrincipals', fail);
    this.#sourceIps = cidrs(match.sourceIps, 'sourceIps', fail);
    this.#notSourceIps = cidrs(match.notSourceIps, 'notSourceIps', fail);
    this.#destinationIps = cidrs(match.destinationIps, 'destinationIps', fail);
    this.#notDestinationIps = cidrs(match.notDestinationIps, 'notDestinationIps', fail);
    this.#ports = ports(match.destinationPorts, 'destinationPorts', fail);
    this.#notPorts = ports(match.notDestinationPorts, 'notDestinationPorts', fail);
    this.#http = HttpMatch.compile(match, fail);
    const empty =
      this.#namespaces === undefined &&
      this.#notNamespaces === undefined &&
      this.#principals === undefined &&
      this.#notPrincipals === undefined &&
      this.#sourceIps === undefined &&
      this.#notSourceIps === undefined &&
      this.#destinationIps === undefined &&
      this.#notDestinationIps === undefined &&
      this.#ports === undefined &&
      this.#notPorts === undefined &&
      this.#http === undefined;
    this.#ifEmpty = empty ? ifEmpty : undefined;
  }

  /**
   * Compiles a wire match. A match with no field set is what the translator leaves of
   * an entry that only had HTTP attributes (a `from` with only `requestPrincipals`, a
   * `when` on `request.headers[…]`); `ifEmpty` says what it decides: true in a DENY
   * policy (the HTTP part is dropped, the rest enforced: more is denied), false
   * otherwise (ztunnel skips empty matches; an ALLOW must never be widened).
   */
  static compile(match: securityV1.Match, ifEmpty: boolean, fail: FieldFailure): CompiledMatch {
    return new CompiledMatch(match, ifEmpty, fail);
  }

  matches(c: ConnectionFacts): boolean {
    if (this.#ifEmpty !== undefined) return this.#ifEmpty;
    return (
      (this.#destinationIps === undefined || this.#destinationIps.contains(c.destination)) &&
      (this.#notDestinationIps === undefined || !this.#notDestinationIps.contains(c.destination)) &&
      (this.#sourceIps === undefined || this.#sourceIps.contains(c.source)) &&
      (this.#notSourceIps === undefined || !this.#notSourceIps.contains(c.source)) &&
      (this.#ports === undefined || this.#ports.includes(c.port)) &&
      (this.#notPorts === undefined || !this.#notPorts.includes(c.port)) &&
      (this.#principals === undefined || this.#principals.matches(c.principal, c.principalFrom)) &&
      (this.#notPrincipals === undefined || !this.#notPrincipals.matches(c.principal, c.principalFrom)) &&
      (this.#namespaces === undefined || this.#namespaces.matches(c.namespace, 0)) &&
      (this.#notNamespaces === undefined || !this.#notNamespaces.matches(c.namespace, 0)) &&
      (this.#http === undefined || this.#http.matches(c.request))
    );
  }
}
