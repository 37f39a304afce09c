import type { securityV1 } from '@ambit/xds';
import type { ConnectionFacts } from '../engine/connection.js';
import { CidrSet } from '../ip/cidr-set.js';
import { StringMatchers } from '../match/string-matchers.js';

/** Reports a bad field (its path below the match) and does not return. */
export type FieldFailure = (field: string, reason: string) => never;

/**
 * One `Match`: every field that is set must hold (AND); within a field any value may
 * match (OR); a `not_` field holds when none of its values match. An unset field holds.
 * This is ztunnel's `matches_internal` over destination IPs, source IPs, destination
 * ports, principals and namespaces (src/rbac.rs).
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
      this.#notPorts === undefined;
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
      (this.#notNamespaces === undefined || !this.#notNamespaces.matches(c.namespace, 0))
    );
  }
}

function strings(values: readonly securityV1.StringMatch[], field: string, fail: FieldFailure): StringMatchers | undefined {
  if (values.length === 0) return undefined;
  return StringMatchers.compile(values, (i, reason) => fail(`${field}[${i}]`, reason));
}

function cidrs(values: readonly securityV1.CidrBlock[], field: string, fail: FieldFailure): CidrSet | undefined {
  if (values.length === 0) return undefined;
  return CidrSet.compile(values, (i, part, reason) => fail(`${field}[${i}].${part}`, reason));
}

/** Ports travel as uint32; ztunnel truncates them to u16 (65536 becomes 0), Ambit refuses them. */
function ports(values: readonly number[], field: string, fail: FieldFailure): Uint16Array | undefined {
  if (values.length === 0) return undefined;
  values.forEach((port, i) => {
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`${field}[${i}]`, `${port} is not a port (0-65535)`);
  });
  return Uint16Array.from(values);
}
