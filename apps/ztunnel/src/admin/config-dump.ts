import { securityV1 } from '@ambit/xds';
import type { CertificatesDump } from '../identity/index.js';
import { ipFromBytes } from '../state/ip.js';
import type { Endpoint, GatewayAddress, Policy, PortMap, Service, StateView, Workload } from '../state/index.js';

/** What the config dump is made of, each read when the dump is asked for. */
export interface ConfigDumpSources {
  readonly state: StateView;
  readonly certificates: () => readonly CertificatesDump[];
  /** ztunnel's own configuration (plain data). */
  readonly config: unknown;
  /** Ambit's additions: the xDS client's status and the local SOCKS5 entries. */
  readonly xds: () => unknown;
  readonly localListeners: () => unknown;
  readonly inbound: () => unknown;
  /** In-pod capture: the pods whose redirect rules this ztunnel installed (empty in local mode). */
  readonly capturedPods: () => unknown;
}

/**
 * `/config_dump` in the shape of Istio ztunnel's (`workloads`, `services`, `policies`,
 * `stagedServices`, `certificates`, `config`, camelCase, lists sorted by key), so that
 * tools reading ztunnel's dump read this one. docs/ztunnel.md describes every field.
 */
export function configDump(sources: ConfigDumpSources): Record<string, unknown> {
  const { state } = sources;
  const staged: Record<string, unknown> = {};
  for (const key of state.services.stagedKeys().sort()) staged[key] = endpointsJson(state.services.endpoints(key));
  return {
    workloads: sorted(state.workloads.all(), (w) => w.uid).map(workloadJson),
    services: sorted(state.services.all(), (s) => s.key).map((s) => serviceJson(s, state.services.endpoints(s.key))),
    policies: sorted(state.policies.all(), (p) => p.key).map(policyJson),
    stagedServices: staged,
    certificates: sources.certificates(),
    config: sources.config,
    xds: sources.xds(),
    localListeners: sources.localListeners(),
    inbound: sources.inbound(),
    capturedPods: sources.capturedPods(),
  };
}

function sorted<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function workloadJson(w: Workload): Record<string, unknown> {
  return {
    uid: w.uid,
    workloadIps: w.workloadIps,
    ...(w.waypoint === undefined ? {} : { waypoint: gatewayJson(w.waypoint) }),
    protocol: w.protocol,
    name: w.name,
    namespace: w.namespace,
    trustDomain: w.trustDomain,
    serviceAccount: w.serviceAccount,
    network: w.network,
    workloadName: w.workloadName,
    workloadType: w.workloadType,
    canonicalName: w.canonicalName,
    canonicalRevision: w.canonicalRevision,
    hostname: w.hostname,
    node: w.node,
    status: w.status,
    clusterId: w.clusterId,
    authorizationPolicies: w.authorizationPolicies,
    locality: w.locality,
    services: [...w.services.keys()],
  };
}

function serviceJson(s: Service, endpoints: ReadonlyMap<string, Endpoint>): Record<string, unknown> {
  return {
    name: s.name,
    namespace: s.namespace,
    hostname: s.hostname,
    vips: s.vips.map((vip) => `${vip.network}/${vip.address}`),
    ports: portsJson(s.ports),
    endpoints: endpointsJson(endpoints),
    subjectAltNames: s.subjectAltNames,
    ...(s.waypoint === undefined ? {} : { waypoint: gatewayJson(s.waypoint) }),
    ...(s.loadBalancer === undefined ? {} : { loadBalancer: s.loadBalancer }),
  };
}

function endpointsJson(endpoints: ReadonlyMap<string, Endpoint>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const uid of [...endpoints.keys()].sort()) {
    const endpoint = endpoints.get(uid)!;
    out[uid] = { workloadUid: endpoint.workloadUid, port: portsJson(endpoint.ports), status: endpoint.status };
  }
  return out;
}

function portsJson(ports: PortMap): Record<string, number> {
  return Object.fromEntries([...ports].map(([service, target]) => [String(service), target]));
}

function gatewayJson(gateway: GatewayAddress): Record<string, unknown> {
  const destination =
    'address' in gateway.destination ? { Address: `${gateway.destination.address.network}/${gateway.destination.address.address}` } : { Hostname: gateway.destination.hostname };
  return { destination, hboneMtlsPort: gateway.hboneMtlsPort };
}

// ztunnel's serde names for the enums and string matches.
const SCOPE_NAMES: Record<number, string> = { [securityV1.Scope.GLOBAL]: 'Global', [securityV1.Scope.NAMESPACE]: 'Namespace', [securityV1.Scope.WORKLOAD_SELECTOR]: 'WorkloadSelector' };
const ACTION_NAMES: Record<number, string> = { [securityV1.Action.ALLOW]: 'Allow', [securityV1.Action.DENY]: 'Deny', [securityV1.Action.AUDIT]: 'Audit' };

function policyJson({ authorization: a }: Policy): Record<string, unknown> {
  return {
    name: a.name,
    namespace: a.namespace,
    scope: SCOPE_NAMES[a.scope],
    action: ACTION_NAMES[a.action],
    rules: a.groups.map((group) => group.rules.map((rules) => rules.matches.map(matchJson))),
    dryRun: a.dryRun,
  };
}

function matchJson(m: securityV1.Match): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const strings = { namespaces: m.namespaces, notNamespaces: m.notNamespaces, principals: m.principals, notPrincipals: m.notPrincipals };
  for (const [name, list] of Object.entries(strings)) if (list.length > 0) out[name] = list.map(stringMatchJson);
  const cidrs = { sourceIps: m.sourceIps, notSourceIps: m.notSourceIps, destinationIps: m.destinationIps, notDestinationIps: m.notDestinationIps };
  for (const [name, list] of Object.entries(cidrs)) if (list.length > 0) out[name] = list.map((c) => `${ipFromBytes(c.address)}/${c.length}`);
  if (m.destinationPorts.length > 0) out.destinationPorts = m.destinationPorts;
  if (m.notDestinationPorts.length > 0) out.notDestinationPorts = m.notDestinationPorts;
  return out;
}

function stringMatchJson(s: securityV1.StringMatch): unknown {
  switch (s.matchType) {
    case 'exact':
      return { Exact: s.exact };
    case 'prefix':
      return { Prefix: s.prefix };
    case 'suffix':
      return { Suffix: s.suffix };
    default:
      return 'Presence';
  }
}
