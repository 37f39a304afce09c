import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { obj, report, reportDuplicates } from '../../schema/object.js';
import { ipFamily } from '../../schema/names.js';
import { dns1123Label, dns1123Subdomain, ipAddress, labelMap, nonEmpty, port } from '../../schema/primitives.js';
import { defineKind } from '../define-kind.js';
import { checkDualStack, checkIstioLabels, conditionStatus, localObjectReference, portName, protocol, resourceList } from './common.js';

/** A structure the mesh does not read: any JSON object, not checked further. */
const opaque = () => z.record(z.string(), z.unknown());
const opaqueList = () => z.array(z.unknown());

const containerPort = () =>
  obj({
    name: portName().optional(),
    hostPort: z.int().min(0).max(65535).optional(),
    containerPort: port(),
    protocol: protocol(),
    hostIP: ipAddress().optional(),
  });

/**
 * The fields of core/v1 Container (Kubernetes 1.33, plus restartPolicyRules from
 * 1.34). Only name, image and ports are checked in depth; the rest is accepted as
 * written.
 */
const containerShape = {
  name: dns1123Label(),
  image: nonEmpty(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  ports: z.array(containerPort()).optional(),
  envFrom: opaqueList().optional(),
  env: opaqueList().optional(),
  resources: opaque().optional(),
  resizePolicy: opaqueList().optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
  restartPolicyRules: opaqueList().optional(),
  volumeMounts: opaqueList().optional(),
  volumeDevices: opaqueList().optional(),
  livenessProbe: opaque().optional(),
  readinessProbe: opaque().optional(),
  startupProbe: opaque().optional(),
  lifecycle: opaque().optional(),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).optional(),
  imagePullPolicy: z.enum(['Always', 'Never', 'IfNotPresent']).optional(),
  securityContext: opaque().optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
};

function checkContainerPorts(c: { ports?: readonly { name?: string | undefined }[] | undefined }, ctx: z.RefinementCtx): void {
  reportDuplicates(ctx, c.ports ?? [], (p) => p.name, {
    path: (i) => ['ports', i, 'name'],
    message: (k, first) => `duplicate port name "${k}" in this container (first used at ${first})`,
  });
}

const container = () => obj(containerShape).superRefine(checkContainerPorts);
const ephemeralContainer = () => obj({ ...containerShape, targetContainerName: z.string().optional() }).superRefine(checkContainerPorts);

/**
 * The fields of core/v1 PodSpec (Kubernetes 1.33). The mesh reads containers (names
 * and ports), nodeName, serviceAccountName and hostNetwork; volumes, affinity,
 * tolerations, security contexts and the like are accepted without checking their
 * structure.
 */
const podSpec = () =>
  obj({
    volumes: opaqueList().optional(),
    initContainers: z.array(container()).optional(),
    containers: z.array(container()).min(1),
    ephemeralContainers: z.array(ephemeralContainer()).optional(),
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
    terminationGracePeriodSeconds: z.int().optional(),
    activeDeadlineSeconds: z.int().min(1).optional(),
    dnsPolicy: z.enum(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']).optional(),
    nodeSelector: labelMap().optional(),
    serviceAccountName: dns1123Subdomain().optional(),
    /** Deprecated alias of serviceAccountName. */
    serviceAccount: dns1123Subdomain().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    nodeName: dns1123Subdomain().optional(),
    hostNetwork: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    hostIPC: z.boolean().optional(),
    shareProcessNamespace: z.boolean().optional(),
    securityContext: opaque().optional(),
    imagePullSecrets: z.array(localObjectReference()).optional(),
    hostname: dns1123Label().optional(),
    subdomain: dns1123Label().optional(),
    affinity: opaque().optional(),
    schedulerName: z.string().optional(),
    tolerations: opaqueList().optional(),
    hostAliases: opaqueList().optional(),
    priorityClassName: z.string().optional(),
    priority: z.int().optional(),
    dnsConfig: opaque().optional(),
    readinessGates: z.array(obj({ conditionType: z.string() })).optional(),
    runtimeClassName: z.string().nullable().optional(),
    enableServiceLinks: z.boolean().optional(),
    preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never']).nullable().optional(),
    overhead: resourceList().optional(),
    topologySpreadConstraints: opaqueList().optional(),
    setHostnameAsFQDN: z.boolean().nullable().optional(),
    os: opaque().nullable().optional(),
    hostUsers: z.boolean().nullable().optional(),
    schedulingGates: z.array(obj({ name: z.string() })).optional(),
    resourceClaims: opaqueList().optional(),
    resources: opaque().optional(),
  })
    .superRefine((spec, ctx) => {
      const names: { name: string; list: string; index: number }[] = [];
      for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
        (spec[list] ?? []).forEach((c, index) => names.push({ name: c.name, list, index }));
      }
      reportDuplicates(ctx, names, (n) => n.name, {
        path: (i) => [names[i]!.list, names[i]!.index, 'name'],
        where: (i) => `${names[i]!.list}[${names[i]!.index}]`,
        message: (k, first) => `duplicate container name "${k}" (first used at ${first})`,
        hint: 'names are unique across containers, initContainers and ephemeralContainers',
      });
      if (spec.hostNetwork === true) {
        for (const list of ['initContainers', 'containers'] as const) {
          (spec[list] ?? []).forEach((c, i) =>
            (c.ports ?? []).forEach((p, j) => {
              if (p.hostPort !== undefined && p.hostPort !== 0 && p.hostPort !== p.containerPort) {
                report(ctx, IssueCode.Conflict, `hostPort must match containerPort (${p.containerPort}) when hostNetwork is true`, {
                  path: [list, i, 'ports', j, 'hostPort'],
                });
              }
            }),
          );
        }
      }
    })
    .transform((spec) => ({
      ...spec,
      // The deprecated serviceAccount fills serviceAccountName when that is unset, as in Kubernetes.
      serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount,
    }));

const podCondition = () =>
  obj({
    type: z.string(),
    observedGeneration: z.int().min(0).optional(),
    status: conditionStatus(),
    lastProbeTime: z.string().nullable().optional(),
    lastTransitionTime: z.string().nullable().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
  });

/** core/v1 ContainerStatus field names; the state details are not checked. */
const containerStatus = () =>
  obj({
    name: z.string(),
    state: opaque().optional(),
    lastState: opaque().optional(),
    ready: z.boolean(),
    restartCount: z.int(),
    image: z.string(),
    imageID: z.string(),
    containerID: z.string().optional(),
    started: z.boolean().optional(),
    allocatedResources: resourceList().optional(),
    resources: opaque().optional(),
    volumeMounts: opaqueList().optional(),
    user: opaque().optional(),
    allocatedResourcesStatus: opaqueList().optional(),
    stopSignal: z.string().optional(),
  });

/** A podIPs or hostIPs entry. */
const ipEntry = () => obj({ ip: ipAddress() });

function checkIpList(
  ctx: z.RefinementCtx,
  single: string | undefined,
  list: readonly { ip: string }[] | undefined,
  singleField: string,
  listField: string,
): void {
  const ips = list ?? [];
  checkDualStack(ctx, ips.map((p) => ipFamily(p.ip)), (i) => [listField, i], listField);
  if (single !== undefined && ips.length > 0 && ips[0]!.ip !== single) {
    report(ctx, IssueCode.Conflict, `${listField}[0].ip must equal ${singleField} ("${single}")`, { path: [listField, 0, 'ip'] });
  }
}

const podStatus = () =>
  obj({
    observedGeneration: z.int().min(0).optional(),
    phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
    conditions: z.array(podCondition()).optional(),
    message: z.string().optional(),
    reason: z.string().optional(),
    nominatedNodeName: z.string().optional(),
    hostIP: ipAddress().optional(),
    hostIPs: z.array(ipEntry()).optional(),
    podIP: ipAddress().optional(),
    podIPs: z.array(ipEntry()).optional(),
    startTime: z.string().nullable().optional(),
    initContainerStatuses: z.array(containerStatus()).optional(),
    containerStatuses: z.array(containerStatus()).optional(),
    qosClass: z.enum(['Guaranteed', 'Burstable', 'BestEffort']).optional(),
    ephemeralContainerStatuses: z.array(containerStatus()).optional(),
    resize: z.string().optional(),
    resourceClaimStatuses: opaqueList().optional(),
  }).superRefine((status, ctx) => {
    checkIpList(ctx, status.podIP, status.podIPs, 'podIP', 'podIPs');
    checkIpList(ctx, status.hostIP, status.hostIPs, 'hostIP', 'hostIPs');
  });

/**
 * core/v1 Pod. The mesh reads labels (`istio.io/dataplane-mode`,
 * `istio.io/use-waypoint`), spec.nodeName, spec.serviceAccountName, spec.hostNetwork,
 * container ports (to resolve named targetPorts), and status.podIP(s), phase, hostIP
 * and the Ready condition.
 */
export const pod = defineKind({
  group: '',
  kind: 'Pod',
  versions: ['v1'],
  namespaced: true,
  body: {
    spec: podSpec(),
    status: podStatus().optional(),
  },
  refine: (p, ctx) => {
    checkIstioLabels(ctx, p.metadata.labels, { dataplaneMode: true, useWaypoint: true });
  },
});
