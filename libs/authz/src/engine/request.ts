import type { SpiffeId } from '@ambit/crypto';
import { IpAddress } from '../ip/ip-address.js';

/**
 * A JWT that RequestAuthentication verified (signature, issuer, expiry): what
 * `requestPrincipals` and the `request.auth.*` conditions read. Without one they see no
 * value, as Envoy's RBAC filter does when the JWT filter wrote no metadata.
 */
export interface VerifiedJwt {
  /** `<iss>/<sub>`, Istio's request principal. */
  readonly principal: string;
  /** The payload's claims, as decoded. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Request headers by lower-case name, the shape of Node.js's `IncomingHttpHeaders`. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * An HTTP request as a waypoint authorizes it, after routing has fixed its destination:
 * who sent it (the original client, whose certificate the HBONE tunnel presented), to
 * which service and port, and what it asks for.
 */
export interface HttpRequest {
  /** The original client's verified identity (the HBONE peer); undefined for a plaintext client. */
  readonly identity: SpiffeId | undefined;
  /** The original client's address (`source.ip`, ipBlocks). */
  readonly sourceIp: string;
  /** The client address X-Forwarded-For names (`remote.ip`, remoteIpBlocks); `sourceIp` when omitted. */
  readonly remoteIp?: string | undefined;
  /** The address the request was sent to: the service VIP, or the workload's address. */
  readonly destinationIp: string;
  /** The service port (`ports`, `destination.port`). */
  readonly destinationPort: number;
  /** `namespace/hostname` of the destination service; undefined for traffic addressed to a workload. */
  readonly service: string | undefined;
  /** `:authority` (or Host), port included if the client sent one. */
  readonly host: string;
  readonly method: string;
  /** The request target's path; a query or fragment is ignored. Normalise it as the router does. */
  readonly path: string;
  readonly headers: RequestHeaders;
  /** The verified JWT, if RequestAuthentication accepted one. */
  readonly jwt?: VerifiedJwt | undefined;
  /** The TLS server name of the client's connection, if it had one (`connection.sni`). */
  readonly sni?: string | undefined;
}

/**
 * A request's attributes in the form the matchers read, overwritten per decision on top
 * of the connection attributes (one instance per engine). A string attribute that is
 * absent has offset -1 (see StringMatchers.matches).
 */
export class RequestFacts {
  host = '';
  method = '';
  path = '';
  readonly remote = new IpAddress();
  requestPrincipal = '';
  requestPrincipalFrom = -1;
  sni = '';
  sniFrom = -1;
  headers: RequestHeaders = {};
  claims: Readonly<Record<string, unknown>> | undefined = undefined;

  /** Loads a request; false when the remote address does not parse. */
  load(request: HttpRequest): boolean {
    // Hosts are matched without regard to case (Istio's HostMatcher): patterns arrive lower case.
    this.host = request.host.toLowerCase();
    this.method = request.method;
    const query = request.path.search(/[?#]/);
    this.path = query < 0 ? request.path : request.path.slice(0, query);
    this.requestPrincipal = request.jwt?.principal ?? '';
    this.requestPrincipalFrom = request.jwt === undefined ? -1 : 0;
    this.claims = request.jwt?.claims;
    this.sni = request.sni ?? '';
    this.sniFrom = request.sni === undefined ? -1 : 0;
    this.headers = request.headers;
    return this.remote.parse(request.remoteIp ?? request.sourceIp);
  }

  /**
   * A claim of the verified JWT by path (`request.auth.claims[a][b]` is `['a', 'b']`): a
   * string, a number or boolean as text, a list as its string-like elements; undefined
   * without a JWT, for a missing claim, or for an object.
   */
  claim(path: readonly string[]): string | readonly string[] | undefined {
    let value: unknown = this.claims;
    for (let i = 0; i < path.length; i++) {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, path[i]!)) return undefined;
      value = (value as Record<string, unknown>)[path[i]!];
    }
    if (Array.isArray(value)) return value.filter(scalar).map(String);
    return scalar(value) ? String(value) : undefined;
  }

  /** A header's value, several joined with `,` as Envoy joins them; undefined when absent. */
  header(name: string): string | undefined {
    const value = this.headers[name];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : value.join(',');
  }
}

function scalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
