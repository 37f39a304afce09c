import type {
  DestinationRuleResource,
  GatewayResource,
  RequestAuthenticationResource,
  Resource,
  SidecarResource,
  TelemetryResource,
  VirtualServiceResource,
} from '@ambit/config-model';
import { compare } from '../compare.js';
import { ANNOTATION } from '../istio-labels.js';
import type { MeshSettings } from '../mesh-settings.js';
import { idKey, idOf, type ResourceId } from '../resource-id.js';
import { hostCovers, hostsOverlap, resolveHost } from './hosts.js';

/** The resources that only the analysis reads: routing, Istio gateways, sidecars and L7 policies. */
export type AnalysedResource = VirtualServiceResource | DestinationRuleResource | GatewayResource | SidecarResource | RequestAuthenticationResource | TelemetryResource;

/** A host that a Service or ServiceEntry declares, as routing resources look it up. */
export interface DeclaredHost {
  readonly hostname: string;
  readonly namespace: string;
  readonly source: ResourceId;
  readonly ports: readonly { readonly number: number; readonly name: string }[];
  /** Empty: exported everywhere (Istio's default). */
  readonly exportTo: readonly string[];
}

/** A DestinationRule with its host resolved (short names are in the rule's namespace). */
export interface IndexedDestinationRule {
  readonly resource: DestinationRuleResource;
  readonly host: string;
}

/** A VirtualService bound to the mesh (no gateways, or `mesh` among them), with its hosts resolved. */
export interface MeshVirtualService {
  readonly resource: VirtualServiceResource;
  readonly hosts: readonly string[];
}

/** The read side of the index, for the analysers. */
export interface ConfigView {
  resource(id: ResourceId): AnalysedResource | undefined;
  /** Declared hosts that overlap `host` (equal, or either a wildcard covering the other). */
  hostsOverlapping(host: string): readonly DeclaredHost[];
  /** Declared hosts that serve `host`: the same name, or a wildcard ServiceEntry host covering it. */
  hostsServing(host: string): readonly DeclaredHost[];
  /** The hosts a Service or ServiceEntry declares. */
  hostsOf(source: ResourceId): readonly DeclaredHost[];
  /** DestinationRules whose host covers `host`, by namespace then name. */
  destinationRulesFor(host: string): readonly IndexedDestinationRule[];
  /** Mesh VirtualServices that list `host` (resolved), by namespace then name. */
  meshVirtualServicesFor(host: string): readonly MeshVirtualService[];
  istioGateway(namespace: string, name: string): GatewayResource | undefined;
  hasSecret(namespace: string, name: string): boolean;
}

/** The gateway name that binds a VirtualService to the mesh's proxies rather than to a Gateway. */
export const MESH_GATEWAY = 'mesh';

/** Whether the index reads this kind: the analysed kinds, plus the hosts of Services and ServiceEntries and the names of Secrets. */
export function isIndexedKind(group: string, kind: string): boolean {
  return (
    (group === 'networking.istio.io' && ['VirtualService', 'DestinationRule', 'Gateway', 'Sidecar', 'ServiceEntry'].includes(kind)) ||
    (group === 'security.istio.io' && kind === 'RequestAuthentication') ||
    (group === 'telemetry.istio.io' && kind === 'Telemetry') ||
    (group === '' && (kind === 'Service' || kind === 'Secret'))
  );
}

interface Indexed {
  readonly resource: AnalysedResource | undefined;
  readonly hosts: readonly DeclaredHost[];
  readonly destinationRule: IndexedDestinationRule | undefined;
  readonly meshVirtualService: MeshVirtualService | undefined;
  readonly secret: string | undefined;
}

const byResource = (a: { resource: Resource }, b: { resource: Resource }): number =>
  compare(a.resource.metadata.namespace, b.resource.metadata.namespace) || compare(a.resource.metadata.name, b.resource.metadata.name);

/**
 * What the analysis needs beyond the mesh store, indexed by host so that a lookup does
 * not scan the mesh: declared hosts, DestinationRules and mesh VirtualServices by
 * (resolved) host, Istio Gateways, and which Secrets exist (their names only: the index
 * never holds key material). One writer: MeshModel.apply.
 */
export class ConfigIndex implements ConfigView {
  readonly #settings: MeshSettings;
  readonly #entries = new Map<string, Indexed>();
  readonly #hosts = new Map<string, DeclaredHost[]>();
  readonly #wildcardHosts = new Set<DeclaredHost>();
  readonly #rules = new Map<string, IndexedDestinationRule[]>();
  readonly #wildcardRules = new Set<IndexedDestinationRule>();
  readonly #meshVirtualServices = new Map<string, MeshVirtualService[]>();
  readonly #secrets = new Set<string>();

  constructor(settings: MeshSettings) {
    this.#settings = settings;
  }

  put(resource: Resource): void {
    this.remove(idOf(resource));
    const entry = this.#derive(resource);
    this.#entries.set(idKey(idOf(resource)), entry);
    this.#index(entry, true);
  }

  remove(id: ResourceId): void {
    const key = idKey(id);
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#index(entry, false);
  }

  resource(id: ResourceId): AnalysedResource | undefined {
    return this.#entries.get(idKey(id))?.resource;
  }

  hostsOverlapping(host: string): readonly DeclaredHost[] {
    if (!host.startsWith('*')) return this.hostsServing(host);
    const found: DeclaredHost[] = [];
    for (const [name, hosts] of this.#hosts) if (hostsOverlap(host, name)) found.push(...hosts);
    for (const declared of this.#wildcardHosts) if (hostsOverlap(host, declared.hostname)) found.push(declared);
    return found;
  }

  hostsServing(host: string): readonly DeclaredHost[] {
    const found = [...(this.#hosts.get(host) ?? [])];
    for (const declared of this.#wildcardHosts) if (hostCovers(declared.hostname, host)) found.push(declared);
    return found;
  }

  hostsOf(source: ResourceId): readonly DeclaredHost[] {
    return this.#entries.get(idKey(source))?.hosts ?? [];
  }

  destinationRulesFor(host: string): readonly IndexedDestinationRule[] {
    const found = [...(this.#rules.get(host) ?? [])];
    for (const rule of this.#wildcardRules) if (hostCovers(rule.host, host)) found.push(rule);
    return found.sort(byResource);
  }

  meshVirtualServicesFor(host: string): readonly MeshVirtualService[] {
    return [...(this.#meshVirtualServices.get(host) ?? [])].sort(byResource);
  }

  istioGateway(namespace: string, name: string): GatewayResource | undefined {
    const resource = this.resource({ group: 'networking.istio.io', kind: 'Gateway', namespace, name });
    return resource?.kind === 'Gateway' ? resource : undefined;
  }

  hasSecret(namespace: string, name: string): boolean {
    return this.#secrets.has(`${namespace}/${name}`);
  }

  #derive(resource: Resource): Indexed {
    const none: Indexed = { resource: undefined, hosts: [], destinationRule: undefined, meshVirtualService: undefined, secret: undefined };
    const { namespace, name } = resource.metadata;
    const domain = this.#settings.clusterDomain;
    switch (resource.kind) {
      case 'Service': {
        // Istio's annotation: a comma-separated exportTo list.
        const exportTo = (resource.metadata.annotations[ANNOTATION.exportTo] ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
        const ports = (resource.spec.ports ?? []).map((p) => ({ number: p.port, name: p.name ?? '' }));
        return { ...none, hosts: [{ hostname: `${name}.${namespace}.svc.${domain}`, namespace, source: idOf(resource), ports, exportTo }] };
      }
      case 'ServiceEntry': {
        const ports = (resource.spec.ports ?? []).map((p) => ({ number: p.number, name: p.name }));
        const exportTo = resource.spec.exportTo ?? [];
        return { ...none, hosts: resource.spec.hosts.map((hostname) => ({ hostname, namespace, source: idOf(resource), ports, exportTo })) };
      }
      case 'Secret':
        return { ...none, secret: `${namespace}/${name}` };
      case 'DestinationRule':
        return { ...none, resource, destinationRule: { resource, host: resolveHost(resource.spec.host, namespace, domain) } };
      case 'VirtualService': {
        const gateways = resource.spec.gateways ?? [];
        const mesh = gateways.length === 0 || gateways.includes(MESH_GATEWAY);
        const hosts = (resource.spec.hosts ?? []).map((h) => resolveHost(h, namespace, domain));
        return { ...none, resource, meshVirtualService: mesh && hosts.length > 0 ? { resource, hosts } : undefined };
      }
      case 'Gateway':
        if (resource.group === 'networking.istio.io') return { ...none, resource };
        break;
      case 'Sidecar':
      case 'RequestAuthentication':
      case 'Telemetry':
        return { ...none, resource };
    }
    // MeshModel only indexes kinds that isIndexedKind accepts.
    throw new TypeError(`${resource.group}/${resource.kind} is not an indexed kind`);
  }

  #index(entry: Indexed, add: boolean): void {
    for (const host of entry.hosts) {
      if (host.hostname.startsWith('*')) update(this.#wildcardHosts, host, add);
      else updateList(this.#hosts, host.hostname, host, add);
    }
    const rule = entry.destinationRule;
    if (rule !== undefined) {
      if (rule.host.startsWith('*')) update(this.#wildcardRules, rule, add);
      else updateList(this.#rules, rule.host, rule, add);
    }
    const vs = entry.meshVirtualService;
    if (vs !== undefined) for (const host of new Set(vs.hosts)) updateList(this.#meshVirtualServices, host, vs, add);
    if (entry.secret !== undefined) update(this.#secrets, entry.secret, add);
  }
}

function update<V>(set: Set<V>, value: V, add: boolean): void {
  if (add) set.add(value);
  else set.delete(value);
}

function updateList<V>(map: Map<string, V[]>, key: string, value: V, add: boolean): void {
  const list = (map.get(key) ?? []).filter((v) => v !== value);
  if (add) list.push(value);
  if (list.length === 0) map.delete(key);
  else map.set(key, list);
}
