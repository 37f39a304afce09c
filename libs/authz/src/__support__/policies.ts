import { SpiffeId } from '@ambit/crypto';
import { securityV1 } from '@ambit/xds';
import type { Connection } from '../engine/connection.js';
import type { HttpRequest, RequestHeaders, VerifiedJwt } from '../engine/request.js';
import { IpAddress } from '../ip/ip-address.js';

/** Builders for Authorization resources and connections, so that specs read like policies. */

export const exact = (exact: string): securityV1.StringMatch => ({ matchType: 'exact', exact });
export const prefix = (prefix: string): securityV1.StringMatch => ({ matchType: 'prefix', prefix });
export const suffix = (suffix: string): securityV1.StringMatch => ({ matchType: 'suffix', suffix });
export const presence: securityV1.StringMatch = { matchType: 'presence', presence: true };

/** An IP or CIDR as wire bytes: IPv4 as 4 bytes, IPv6 (IPv4-mapped included) as 16. */
export function cidr(text: string): securityV1.CidrBlock {
  const [ip = '', bits] = text.split('/');
  const parsed = new IpAddress();
  if (!parsed.parse(ip)) throw new Error(`not an IP: ${ip}`);
  const v6 = ip.includes(':');
  const bytes = new Uint8Array(v6 ? 16 : 4);
  if (v6 && parsed.family === 4) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    new DataView(bytes.buffer).setUint32(12, parsed.words[0]!);
  } else {
    for (let i = 0; i < bytes.length / 4; i++) new DataView(bytes.buffer).setUint32(i * 4, parsed.words[i]!);
  }
  return { address: bytes, length: bits === undefined ? bytes.length * 8 : Number(bits) };
}

// Every field at its default, as a decoder gives it: the list stays right when the proto grows.
const EMPTY_MATCH: securityV1.Match = securityV1.Match.decode(securityV1.Match.encode({}));

export function match(fields: Partial<securityV1.Match> = {}): securityV1.Match {
  return { ...EMPTY_MATCH, ...fields };
}

/** A rule (group) of clauses; each clause is a list of matches. */
export function rule(...clauses: securityV1.Match[][]): securityV1.Group {
  return { rules: clauses.map((matches) => ({ matches })) };
}

export type ActionName = keyof typeof securityV1.Action;
export type ScopeName = keyof typeof securityV1.Scope;

export interface PolicySpec {
  readonly action?: ActionName;
  readonly scope?: ScopeName;
  readonly groups?: securityV1.Group[];
  readonly dryRun?: boolean;
  /** Scope SERVICE: `namespace/hostname` of the services. */
  readonly services?: string[];
}

/**
 * An Authorization named by its key `namespace/name` (the last two parts of a waypoint
 * key); ALLOW, WORKLOAD_SELECTOR unless told.
 */
export function authorization(key: string, spec: PolicySpec = {}): securityV1.Authorization {
  const [namespace = '', name = ''] = key.split('/').slice(-2);
  return {
    name,
    namespace,
    scope: securityV1.Scope[spec.scope ?? 'WORKLOAD_SELECTOR'],
    action: securityV1.Action[spec.action ?? 'ALLOW'],
    groups: spec.groups ?? [],
    dryRun: spec.dryRun ?? false,
    services: spec.services ?? [],
  };
}

/** One upsert of a PolicyStore update, under its ztunnel name unless a (waypoint) prefix is given. */
export function upsert(resource: securityV1.Authorization, version = 'v1', prefix = ''): { name: string; version: string; resource: securityV1.Authorization } {
  return { name: `${prefix}${resource.namespace}/${resource.name}`, version, resource };
}

export interface ConnectionSpec {
  /** `namespace/serviceAccount` of the peer; omitted for plaintext. */
  readonly from?: string;
  readonly trustDomain?: string;
  readonly sourceIp?: string;
  readonly destinationIp?: string;
  readonly port?: number;
  /** The destination workload's namespace. */
  readonly namespace?: string;
  /** The keys the destination workload names. */
  readonly policies?: readonly string[];
}

export function connection(spec: ConnectionSpec = {}): Connection {
  const [namespace = '', serviceAccount = ''] = spec.from?.split('/') ?? [];
  return {
    identity: spec.from === undefined ? undefined : SpiffeId.of({ trustDomain: spec.trustDomain ?? 'cluster.local', namespace, serviceAccount }),
    sourceIp: spec.sourceIp ?? '10.0.0.1',
    destinationIp: spec.destinationIp ?? '10.1.0.1',
    destinationPort: spec.port ?? 8080,
    destination: { namespace: spec.namespace ?? 'default', authorizationPolicies: spec.policies ?? [] },
  };
}

export interface RequestSpec extends Pick<ConnectionSpec, 'from' | 'trustDomain' | 'sourceIp' | 'destinationIp' | 'port'> {
  readonly remoteIp?: string;
  /** `namespace/hostname`; omitted for workload-addressed traffic. */
  readonly service?: string;
  readonly host?: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: RequestHeaders;
  readonly jwt?: VerifiedJwt;
  readonly sni?: string;
}

/** A request at a waypoint: GET / for `shop/cart.shop.svc.cluster.local` on port 80 unless told. */
export function request(spec: RequestSpec = {}): HttpRequest {
  const { destination: _, ...rest } = connection({ ...spec, port: spec.port ?? 80 });
  return {
    ...rest,
    remoteIp: spec.remoteIp,
    service: 'service' in spec ? spec.service : 'shop/cart.shop.svc.cluster.local',
    host: spec.host ?? 'cart.shop.svc.cluster.local',
    method: spec.method ?? 'GET',
    path: spec.path ?? '/',
    headers: spec.headers ?? {},
    jwt: spec.jwt,
    sni: spec.sni,
  };
}

/** A KeyedMatch on a header (lower-case name) or a claim path. */
export function keyed(key: string[], values: securityV1.StringMatch[], notValues: securityV1.StringMatch[] = []): securityV1.KeyedMatch {
  return { key, values, notValues };
}
