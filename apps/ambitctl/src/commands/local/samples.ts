import { IssueCode, type ConfigIssue, type PodResource, type Resource } from '@ambit/config-model';
import { MeshModel, podAddresses, type WorkloadSource } from '@ambit/mesh-model';
import { isLocalWorkload, localIssue } from './local-checks.js';
import { WORKLOAD_PORTS } from './options.js';

/**
 * The annotation that asks `local up` to run one of our sample workloads as a pod's
 * application. Annotations are free-form metadata: Kubernetes, Istio and the control
 * plane ignore it, so the same YAML still applies to a cluster.
 */
export const SAMPLE_ANNOTATION = 'sample.ambit.dev/app';

/** The samples there are: `echo` (apps/sample-echo). */
export const SAMPLE_PROGRAMS = Object.freeze(['echo'] as const);
export type SampleProgram = (typeof SAMPLE_PROGRAMS)[number];

const ZTUNNEL_POD_PORTS: readonly number[] = Object.values(WORKLOAD_PORTS);

/** A sample workload `local up` starts: one process playing one pod. */
export interface PlannedSample {
  readonly namespace: string;
  /** The pod it plays. */
  readonly name: string;
  readonly sample: SampleProgram;
  /** What it reports as its app and version: the pod's canonical service and revision, as Istio derives them (`app` and `version` labels, …). */
  readonly app: string;
  readonly version: string;
  readonly node: string;
  /** `podIP:port` for each of its ports. */
  readonly listen: readonly string[];
  /** `namespace/name` of the Services that select the pod. */
  readonly services: readonly string[];
}

/** A Service's waypoint, when it is bound to one (`namespace/name`). */
export type ServiceWaypoints = ReadonlyMap<string, string>;

export interface SamplePlan {
  readonly samples: readonly PlannedSample[];
  /** `namespace/name` of each Service bound to a waypoint → the waypoint's `namespace/name`. */
  readonly waypoints: ServiceWaypoints;
  /** Annotated pods the samples cannot play, as config issues. */
  readonly issues: readonly ConfigIssue[];
}

/**
 * The samples the annotated pods ask for. Each listens on the pod's address(es) and on
 * every TCP container port; a pod that declares none gets the ports its Services
 * target, resolved as the control plane resolves them (the mesh model). Ports that
 * ztunnel itself serves on a pod address are refused. Expects resources that passed
 * validation and localModeIssues.
 */
export function planSamples(resources: readonly Resource[]): SamplePlan {
  const model = new MeshModel();
  model.apply({ upserted: resources });
  const waypoints = new Map<string, string>();
  for (const key of model.view.serviceKeys()) {
    const service = model.service(key);
    if (service?.source.kind === 'Service' && service.waypoint.kind === 'bound') {
      waypoints.set(`${service.source.namespace}/${service.source.name}`, `${service.waypoint.waypoint.namespace}/${service.waypoint.waypoint.name}`);
    }
  }
  const samples: PlannedSample[] = [];
  const issues: ConfigIssue[] = [];
  const path = `metadata.annotations["${SAMPLE_ANNOTATION}"]`;
  for (const pod of resources) {
    if (pod.kind !== 'Pod' || !isLocalWorkload(pod)) continue;
    const wanted = pod.metadata.annotations[SAMPLE_ANNOTATION];
    if (wanted === undefined) continue;
    const sample = SAMPLE_PROGRAMS.find((p) => p === wanted);
    if (sample === undefined) {
      issues.push(localIssue(pod, IssueCode.Value, path, `${JSON.stringify(wanted)} is not a sample of local mode`, `the samples are: ${SAMPLE_PROGRAMS.join(', ')}`));
      continue;
    }
    const workload = podWorkload(model, pod);
    const view = workload === undefined ? undefined : model.workload(workload.uid);
    const services = (view?.services ?? []).filter((b) => b.service.kind === 'Service');
    const ports = containerPorts(pod);
    const listenPorts = ports.length > 0 ? ports : unique(services.flatMap((b) => b.ports.map((p) => p.targetPort)));
    if (listenPorts.length === 0) {
      issues.push(localIssue(pod, IssueCode.Required, path, 'asks for a sample, but the pod has no port', 'give its container a containerPort, or select it with a Service, so that the sample knows where to listen'));
      continue;
    }
    const reserved = listenPorts.filter((p) => ZTUNNEL_POD_PORTS.includes(p));
    if (reserved.length > 0) {
      issues.push(localIssue(pod, IssueCode.Conflict, path, `the sample cannot listen on port ${reserved.join(', ')}`, `ztunnel serves ${ZTUNNEL_POD_PORTS.join(', ')} on every pod address in local mode`));
      continue;
    }
    samples.push({
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      sample,
      app: workload?.canonicalName ?? pod.metadata.name,
      version: workload?.canonicalRevision ?? 'latest',
      node: pod.spec.nodeName ?? '',
      listen: podAddresses(pod).flatMap((address) => listenPorts.map((port) => `${address}:${port}`)),
      services: unique(services.map((b) => `${b.service.namespace}/${b.service.name}`)),
    });
  }
  samples.sort((a, b) => compareKeys(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
  return { samples, waypoints, issues };
}

function podWorkload(model: MeshModel, pod: PodResource): WorkloadSource | undefined {
  for (const workload of model.view.workloadsIn(pod.metadata.namespace)) {
    if (workload.kind === 'Pod' && workload.name === pod.metadata.name) return workload;
  }
  return undefined;
}

/** The pod's TCP container ports, in order, each once. */
function containerPorts(pod: PodResource): number[] {
  return unique(pod.spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort)));
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
