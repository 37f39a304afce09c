import { isIP } from 'node:net';
import type { PodResource, ServiceEntryResource, WorkloadEntryResource } from '@ambit/config-model';
import { canonicalService } from './canonical.js';
import { AMBIENT_REDIRECTION_ENABLED, ANNOTATION, LABEL } from './istio-labels.js';
import type { Labels } from './labels.js';
import type { MeshSettings } from './mesh-settings.js';
import { parseLocality, type Locality } from './node.js';
import { idOf, type ResourceId } from './resource-id.js';
import type { ServiceSource } from './service-source.js';
import { note } from './analysis/codes.js';
import type { StatusNote } from './status-note.js';

export type WorkloadKind = 'Pod' | 'WorkloadEntry' | 'ServiceEntry';

/** How a workload's own settings bear on capture; the namespace decides the rest. */
export type Enrolment =
  | {
      readonly kind: 'pod';
      /** The pod's `istio.io/dataplane-mode` label, which overrides its namespace. */
      readonly mode: string | undefined;
      /** Pods with an Istio sidecar are never captured by ztunnel. */
      readonly sidecar: boolean;
    }
  /** WorkloadEntries and ServiceEntry endpoints are not captured; they speak HBONE only natively. */
  | { readonly kind: 'entry' };

/** Ports a named service targetPort can resolve to. */
export type NamedPorts =
  /** A Pod's TCP container ports (not init containers), first name wins, as Istio's FindPortName. */
  | { readonly kind: 'container'; readonly ports: ReadonlyMap<string, number> }
  /** A WorkloadEntry's (or endpoint's) `ports` map, keyed by service port name. */
  | { readonly kind: 'entry'; readonly ports: Readonly<Record<string, number>> };

/** A Pod, WorkloadEntry or ServiceEntry endpoint, normalised; everything a workload needs that does not depend on other resources. */
export interface WorkloadSource {
  readonly uid: string;
  readonly kind: WorkloadKind;
  readonly source: ResourceId;
  readonly name: string;
  readonly namespace: string;
  /** Labels that services and policies select on (for a ServiceEntry endpoint, the ServiceEntry's, as in Istio). */
  readonly labels: Labels;
  /** Labels that name a waypoint; undefined when the workload never uses one (a waypoint's own pods, implicit DNS endpoints). */
  readonly waypointLabels: Labels | undefined;
  /** Whether Services and ServiceEntry selectors may select it (pods and WorkloadEntries). */
  readonly selectable: boolean;
  readonly addresses: readonly string[];
  readonly hostname: string;
  /** Empty: the mesh's network. */
  readonly network: string;
  readonly node: string;
  readonly serviceAccount: string;
  readonly healthy: boolean;
  readonly workloadName: string;
  readonly canonicalName: string;
  readonly canonicalRevision: string;
  /** From the WorkloadEntry; a pod's comes from its node. */
  readonly locality: Locality | undefined;
  readonly enrolment: Enrolment;
  /** `networking.istio.io/tunnel: http` or istio-cni's redirection annotation: HBONE whatever the namespace says. */
  readonly nativeHbone: boolean;
  readonly namedPorts: NamedPorts;
  /** A ServiceEntry endpoint serves its own ServiceEntry's services (all hosts, or one for an implicit DNS endpoint). */
  readonly ownServices: readonly ServiceSource[] | undefined;
}

export interface WorkloadBuild {
  readonly workloads: readonly WorkloadSource[];
  readonly notes: readonly StatusNote[];
}

const DEFAULT_SERVICE_ACCOUNT = 'default';
const UNIX_PREFIX = 'unix://';

function nativeHbone(labels: Labels, annotations: Labels): boolean {
  return annotations[ANNOTATION.ambientRedirection] === AMBIENT_REDIRECTION_ENABLED || (labels[LABEL.tunnel] ?? '').split(',').includes('http');
}

export function podWorkload(pod: PodResource, settings: MeshSettings): WorkloadBuild {
  const { name, namespace, labels, annotations } = pod.metadata;
  const phase = pod.status?.phase;
  // Istio builds workloads for Pending pods that have an IP (init containers still running), never for finished ones.
  if (phase === 'Succeeded' || phase === 'Failed') {
    return skipped(`pod has finished (phase ${phase}): it is no endpoint`);
  }
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  const addresses = ips.length > 0 ? ips : pod.status?.podIP !== undefined ? [pod.status.podIP] : [];
  if (addresses.length === 0) return skipped('pod has no IP yet (status.podIP is unset)');
  // Istio marks these HOST_NETWORK; without that field ztunnel would take the node's IP for this pod.
  if (pod.spec.hostNetwork === true) return skipped('pods on the host network are not part of the ambient mesh');

  const containerPorts = new Map<string, number>();
  for (const container of pod.spec.containers) {
    for (const port of container.ports ?? []) {
      if (port.name !== undefined && port.protocol === 'TCP' && !containerPorts.has(port.name)) containerPorts.set(port.name, port.containerPort);
    }
  }
  // Istio derives the name from the owning controller; the normalised metadata carries no ownerReferences.
  const workloadName = labels[LABEL.workloadName] ?? name;
  const canonical = canonicalService(labels, workloadName);
  const ready = (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  return {
    workloads: [
      {
        uid: `${settings.clusterId}//Pod/${namespace}/${name}`,
        kind: 'Pod',
        source: idOf(pod),
        name,
        namespace,
        labels,
        waypointLabels: labels[LABEL.gatewayName] === undefined ? labels : undefined,
        selectable: true,
        addresses,
        hostname: '',
        network: '',
        node: pod.spec.nodeName ?? '',
        serviceAccount: pod.spec.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT,
        healthy: ready,
        workloadName,
        canonicalName: canonical.name,
        canonicalRevision: canonical.revision,
        locality: undefined,
        enrolment: { kind: 'pod', mode: labels[LABEL.dataplaneMode], sidecar: annotations[ANNOTATION.sidecarStatus] !== undefined },
        nativeHbone: nativeHbone(labels, annotations),
        namedPorts: { kind: 'container', ports: containerPorts },
        ownServices: undefined,
      },
    ],
    notes: [],
  };
}

interface EntryFields {
  readonly address?: string | undefined;
  readonly ports?: Readonly<Record<string, number>> | undefined;
  readonly network?: string | undefined;
  readonly locality?: string | undefined;
  readonly serviceAccount?: string | undefined;
}

/** The address fields of a WorkloadEntry spec: an IP, a hostname to resolve, or nothing usable. */
function entryAddress(address: string | undefined): { addresses: string[]; hostname: string; note?: StatusNote } {
  if (address === undefined || address === '') return { addresses: [], hostname: '' };
  if (address.startsWith(UNIX_PREFIX)) {
    return { addresses: [], hostname: '', note: note('Unsupported', `address ${address}: ztunnel cannot reach a unix domain socket`) };
  }
  return isIP(address) === 0 ? { addresses: [], hostname: address } : { addresses: [address], hostname: '' };
}

export function workloadEntryWorkload(we: WorkloadEntryResource, settings: MeshSettings): WorkloadBuild {
  const { name, namespace, annotations } = we.metadata;
  // Istio's ConvertClientWorkloadEntry: metadata labels and spec labels merged, metadata winning.
  const labels: Labels = { ...we.spec.labels, ...we.metadata.labels };
  const address = entryAddress(we.spec.address);
  const workloadName = annotations[ANNOTATION.autoRegistrationGroup] ?? labels[LABEL.workloadName] ?? name;
  const canonical = canonicalService(labels, workloadName);
  return {
    workloads: [
      {
        ...entryFields(we.spec, address),
        uid: `${settings.clusterId}/networking.istio.io/WorkloadEntry/${namespace}/${name}`,
        kind: 'WorkloadEntry',
        source: idOf(we),
        name,
        namespace,
        labels,
        waypointLabels: labels,
        selectable: true,
        workloadName,
        canonicalName: canonical.name,
        canonicalRevision: canonical.revision,
        nativeHbone: nativeHbone(labels, annotations),
        ownServices: undefined,
      },
    ],
    notes: address.note === undefined ? [] : [address.note],
  };
}

function entryFields(spec: EntryFields, address: { addresses: string[]; hostname: string }) {
  return {
    addresses: address.addresses,
    hostname: address.hostname,
    network: spec.network ?? '',
    node: '',
    // Istio leaves a WorkloadEntry without serviceAccount at ""; Ambit uses Kubernetes' default, so the identity is one a CA can issue.
    serviceAccount: spec.serviceAccount !== undefined && spec.serviceAccount !== '' ? spec.serviceAccount : DEFAULT_SERVICE_ACCOUNT,
    // Istio has no health for WorkloadEntries yet: they are always HEALTHY.
    healthy: true,
    locality: parseLocality(spec.locality),
    enrolment: { kind: 'entry' } as const,
    namedPorts: { kind: 'entry', ports: spec.ports ?? {} } as const,
  };
}

/**
 * The workloads of a ServiceEntry's `endpoints`; for DNS resolution without endpoints or
 * selector, one implicit endpoint per host, addressed by the host name (Istio's
 * serviceEntryWorkloadBuilder). `services` are the ServiceEntry's own services.
 */
export function serviceEntryWorkloads(se: ServiceEntryResource, services: readonly ServiceSource[], settings: MeshSettings): WorkloadBuild {
  const { name, namespace, labels, annotations } = se.metadata;
  const spec = se.spec;
  const implicit =
    (spec.endpoints ?? []).length === 0 && (spec.resolution === 'DNS' || spec.resolution === 'DNS_ROUND_ROBIN') && spec.workloadSelector === undefined;
  const endpoints: readonly { endpoint: EntryFields & { labels?: Labels | undefined }; services: readonly ServiceSource[] }[] = implicit
    ? services.map((s) => ({ endpoint: { address: s.hostname }, services: [s] }))
    : (spec.endpoints ?? []).map((endpoint) => ({ endpoint, services }));
  const canonical = canonicalService(labels, name);
  const workloads: WorkloadSource[] = [];
  const notes: StatusNote[] = [];
  const seen = new Set<string>();
  endpoints.forEach(({ endpoint, services: ownServices }, index) => {
    const address = entryAddress(endpoint.address);
    if (address.note !== undefined) notes.push({ ...address.note, message: `endpoints[${index}] ${address.note.message}` });
    // Istio keys endpoints by address, so that a uid survives reordering; two endpoints with one address would be one workload.
    const uid = `${settings.clusterId}/networking.istio.io/ServiceEntry/${namespace}/${name}/${endpoint.address ?? ''}`;
    if (seen.has(uid)) {
      notes.push(note('DuplicateEndpoint', `endpoints[${index}] repeats address "${endpoint.address ?? ''}"; only the first is used`, { path: `spec.endpoints[${index}].address` }));
      return;
    }
    seen.add(uid);
    workloads.push({
      ...entryFields(endpoint, address),
      uid,
      kind: 'ServiceEntry',
      source: idOf(se),
      name,
      namespace,
      labels,
      waypointLabels: implicit ? undefined : (endpoint.labels ?? {}),
      selectable: false,
      workloadName: name,
      canonicalName: canonical.name,
      canonicalRevision: canonical.revision,
      nativeHbone: nativeHbone(labels, annotations),
      ownServices,
    });
  });
  return { workloads, notes };
}

function skipped(message: string): WorkloadBuild {
  return { workloads: [], notes: [note('NoWorkload', message)] };
}
