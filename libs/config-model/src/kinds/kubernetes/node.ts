import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { obj, report, reportDuplicates } from '../../schema/object.js';
import { cidrFamily, ipFamily } from '../../schema/names.js';
import { qualifiedName } from '../../schema/primitives.js';
import { defineKind } from '../define-kind.js';
import { checkDualStack, conditionStatus, resourceList } from './common.js';

export const NODE_ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS'] as const;

const cidr = () =>
  z.string().superRefine((value, ctx) => {
    const family = cidrFamily(value);
    if (typeof family === 'string') report(ctx, IssueCode.Value, family);
  });

const taint = () =>
  obj({
    key: qualifiedName(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
    timeAdded: z.string().nullable().optional(),
  });

/** Deprecated dynamic kubelet configuration source (removed in 1.24, still in the schema). */
const configMapNodeConfigSource = () =>
  obj({
    namespace: z.string(),
    name: z.string(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    kubeletConfigKey: z.string(),
  });
const nodeConfigSource = () => obj({ configMap: configMapNodeConfigSource().optional() });

const nodeSpec = () =>
  obj({
    podCIDR: cidr().optional(),
    podCIDRs: z.array(cidr()).optional(),
    providerID: z.string().optional(),
    unschedulable: z.boolean().optional(),
    taints: z.array(taint()).optional(),
    configSource: nodeConfigSource().optional(),
    /** Deprecated, not used by Kubernetes. */
    externalID: z.string().optional(),
  }).superRefine((spec, ctx) => {
    const cidrs = spec.podCIDRs ?? [];
    const families = cidrs.map((c) => {
      const family = cidrFamily(c);
      return typeof family === 'string' ? 0 : family;
    });
    checkDualStack(ctx, families, (i) => ['podCIDRs', i], 'podCIDRs');
    if (spec.podCIDR !== undefined && typeof cidrFamily(spec.podCIDR) === 'number' && cidrs.length > 0 && cidrs[0] !== spec.podCIDR) {
      report(ctx, IssueCode.Conflict, `podCIDRs[0] must equal podCIDR ("${spec.podCIDR}")`, { path: ['podCIDRs', 0] });
    }
    reportDuplicates(ctx, spec.taints ?? [], (t) => `${t.key}:${t.effect}`, {
      path: (i) => ['taints', i],
      message: (k, first) => `duplicate taint ${k}: a key and effect may appear once (first used at ${first})`,
    });
  });

const nodeAddress = () =>
  obj({
    type: z.enum(NODE_ADDRESS_TYPES),
    address: z.string(),
  }).superRefine((addr, ctx) => {
    if ((addr.type === 'InternalIP' || addr.type === 'ExternalIP') && ipFamily(addr.address) === 0) {
      report(ctx, IssueCode.Value, `"${addr.address}" is not an IP address (required for type ${addr.type})`, { path: ['address'] });
    }
  });

const nodeCondition = () =>
  obj({
    type: z.string(),
    status: conditionStatus(),
    lastHeartbeatTime: z.string().nullable().optional(),
    lastTransitionTime: z.string().nullable().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
  });

const nodeConfigStatus = () =>
  obj({
    assigned: nodeConfigSource().optional(),
    active: nodeConfigSource().optional(),
    lastKnownGood: nodeConfigSource().optional(),
    error: z.string().optional(),
  });

const nodeSystemInfo = () =>
  obj({
    machineID: z.string(),
    systemUUID: z.string(),
    bootID: z.string(),
    kernelVersion: z.string(),
    osImage: z.string(),
    containerRuntimeVersion: z.string(),
    kubeletVersion: z.string(),
    kubeProxyVersion: z.string(),
    operatingSystem: z.string(),
    architecture: z.string(),
    swap: obj({ capacity: z.int().optional() }).optional(),
  });

const nodeStatus = () =>
  obj({
    capacity: resourceList().optional(),
    allocatable: resourceList().optional(),
    /** Deprecated, never set. */
    phase: z.enum(['Pending', 'Running', 'Terminated']).optional(),
    conditions: z.array(nodeCondition()).optional(),
    addresses: z.array(nodeAddress()).optional(),
    daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: z.int().min(0).max(65535) }).optional() }).optional(),
    nodeInfo: nodeSystemInfo().optional(),
    images: z.array(obj({ names: z.array(z.string()).optional(), sizeBytes: z.int().optional() })).optional(),
    volumesInUse: z.array(z.string()).optional(),
    volumesAttached: z.array(obj({ name: z.string(), devicePath: z.string() })).optional(),
    config: nodeConfigStatus().optional(),
    runtimeHandlers: z
      .array(
        obj({
          name: z.string().optional(),
          features: obj({ recursiveReadOnlyMounts: z.boolean().optional(), userNamespaces: z.boolean().optional() }).optional(),
        }),
      )
      .optional(),
    features: obj({ supplementalGroupsPolicy: z.boolean().optional() }).optional(),
  });

/**
 * core/v1 Node. The mesh reads its addresses (InternalIP), pod CIDRs and topology
 * labels (`topology.kubernetes.io/region`, `/zone`, `kubernetes.io/hostname`).
 * Cluster-scoped: a `metadata.namespace` is accepted and ignored, as the API server
 * clears it.
 */
export const node = defineKind({
  group: '',
  kind: 'Node',
  versions: ['v1'],
  namespaced: false,
  body: {
    spec: nodeSpec().optional(),
    status: nodeStatus().optional(),
  },
});
