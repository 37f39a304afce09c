import type { ServiceEntryResource, ServiceResource } from '@ambit/config-model';
import { singleAddress } from './ip.js';
import { LABEL, MANAGED_BY_MESH_CONTROLLER } from './istio-labels.js';
import { nonEmpty, type Labels } from './labels.js';
import type { MeshSettings } from './mesh-settings.js';
import { idOf, type ResourceId } from './resource-id.js';
import { note } from './analysis/codes.js';
import type { StatusNote } from './status-note.js';

export interface ServicePort {
  readonly port: number;
  /** The port's name (a ServiceEntry endpoint's `ports` map is keyed by it). */
  readonly name: string;
  /** The target port number; 0 when it is named and resolved per workload. */
  readonly targetPort: number;
  /** A Service's named targetPort, looked up in each workload's ports. */
  readonly targetPortName: string | undefined;
}

/** A Kubernetes Service or one host of a ServiceEntry, normalised. */
export interface ServiceSource {
  /** `namespace/hostname`: the xDS name, and the key workloads list it under. */
  readonly key: string;
  readonly kind: 'Service' | 'ServiceEntry';
  readonly source: ResourceId;
  readonly name: string;
  readonly namespace: string;
  readonly hostname: string;
  readonly vips: readonly string[];
  readonly ports: readonly ServicePort[];
  /** The workloads it selects in its namespace; undefined when it selects none (no or empty selector). */
  readonly selector: Labels | undefined;
  /** Labels that name a waypoint; undefined for a waypoint's own Service, which never uses one. */
  readonly waypointLabels: Labels | undefined;
  readonly subjectAltNames: readonly string[];
  /** `internalTrafficPolicy: Local`, which overrides any traffic distribution. */
  readonly nodeLocal: boolean;
  /** spec.trafficDistribution (Services only). */
  readonly trafficDistribution: string | undefined;
  readonly annotations: Labels;
}

export interface ServiceBuild {
  readonly services: readonly ServiceSource[];
  readonly notes: readonly StatusNote[];
}

function waypointLabelsOf(labels: Labels): Labels | undefined {
  return labels[LABEL.gatewayManaged] === MANAGED_BY_MESH_CONTROLLER ? undefined : labels;
}

function serviceHostname(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

export function kubernetesService(svc: ServiceResource, settings: MeshSettings): ServiceBuild {
  const { name, namespace, labels, annotations } = svc.metadata;
  const spec = svc.spec;
  if (spec.type === 'ExternalName') {
    // As in Istio: DNS answers the alias upstream and ztunnel handles the name it resolves to.
    return { services: [], notes: [note('Unsupported', 'ExternalName Services are not part of the ambient mesh; clients reach the external name directly')] };
  }
  const hostname = serviceHostname(name, namespace, settings.clusterDomain);
  const ips = spec.clusterIPs !== undefined && spec.clusterIPs.length > 0 ? spec.clusterIPs : [spec.clusterIP ?? ''];
  const selector = nonEmpty(spec.selector);
  return {
    services: [
      {
        key: `${namespace}/${hostname}`,
        kind: 'Service',
        source: idOf(svc),
        name,
        namespace,
        hostname,
        // Headless Services (clusterIP None) have no VIP; clients resolve the pods themselves.
        vips: ips.filter((ip) => ip !== '' && ip !== 'None'),
        ports: (spec.ports ?? []).map((p) => ({
          port: p.port,
          name: p.name ?? '',
          targetPort: typeof p.targetPort === 'number' ? p.targetPort : 0,
          targetPortName: typeof p.targetPort === 'string' ? p.targetPort : undefined,
        })),
        selector,
        waypointLabels: waypointLabelsOf(labels),
        subjectAltNames: [],
        nodeLocal: spec.internalTrafficPolicy === 'Local',
        trafficDistribution: spec.trafficDistribution,
        annotations,
      },
    ],
    notes: selector === undefined ? [note('NoSelector', 'Service has no selector: its endpoints come from EndpointSlices, which the ambient translation does not read yet')] : [],
  };
}

/** One service per host (Istio's constructServiceEntries); none when an address is a CIDR of more than one IP. */
export function serviceEntryServices(se: ServiceEntryResource): ServiceBuild {
  const { name, namespace, labels, annotations } = se.metadata;
  const spec = se.spec;
  const vips: string[] = [];
  for (const address of spec.addresses ?? []) {
    const ip = singleAddress(address);
    if (ip === undefined) {
      return { services: [], notes: [note('Unsupported', `address ${address}: ztunnel takes single IPs, not ranges, so the ServiceEntry has no services`)] };
    }
    vips.push(ip);
  }
  const ports: ServicePort[] = (spec.ports ?? []).map((p) => ({
    port: p.number,
    name: p.name,
    targetPort: p.targetPort !== undefined && p.targetPort !== 0 ? p.targetPort : p.number,
    targetPortName: undefined,
  }));
  const selector = nonEmpty(spec.workloadSelector?.labels);
  const services = spec.hosts.map(
    (hostname): ServiceSource => ({
      key: `${namespace}/${hostname}`,
      kind: 'ServiceEntry',
      source: idOf(se),
      name,
      namespace,
      hostname,
      vips,
      ports,
      selector,
      waypointLabels: waypointLabelsOf(labels),
      subjectAltNames: spec.subjectAltNames ?? [],
      nodeLocal: false,
      trafficDistribution: undefined,
      annotations,
    }),
  );
  return { services, notes: [] };
}
