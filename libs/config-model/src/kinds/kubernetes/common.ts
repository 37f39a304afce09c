import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkDns1123Label, checkDns1123Subdomain } from '../../schema/names.js';
import { obj, report } from '../../schema/object.js';
import { checkedString, labelMap, qualifiedName } from '../../schema/primitives.js';
import { checkPortName } from './checks.js';

/**
 * Schema pieces shared by the Kubernetes kinds. Fields whose deep structure the mesh
 * never reads are accepted as `z.unknown()`; everything the mesh reads is checked as
 * the API server checks it.
 */

/** A resource.Quantity (`500m`, `1Gi`, `110`): Kubernetes accepts a string or a number. */
export const quantity = () => z.union([z.string(), z.number()]);

/** A map of resource name to quantity (Node capacity, container resources). */
export const resourceList = () => z.record(z.string(), quantity());

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
/** Port protocol, defaulted to TCP as the API server does. */
export const protocol = () => z.enum(PROTOCOLS).default('TCP');

export const conditionStatus = () => z.enum(['True', 'False', 'Unknown']);

/** A named port (IANA_SVC_NAME). */
export const portName = () => checkedString(checkPortName, 'a port name is 1-15 lower case letters, digits or "-", with at least one letter');

/** core/v1 ObjectReference (targetRef, ServiceAccount secrets). */
export const objectReference = () =>
  obj({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    fieldPath: z.string().optional(),
  });

/** core/v1 LocalObjectReference (`imagePullSecrets` entries). */
export const localObjectReference = () => obj({ name: z.string().optional() });

const selectorRequirement = () =>
  obj({
    key: qualifiedName(),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string()).optional(),
  }).superRefine((req, ctx) => {
    const count = req.values?.length ?? 0;
    if ((req.operator === 'In' || req.operator === 'NotIn') && count === 0) {
      report(ctx, IssueCode.Required, `values must be non-empty when operator is ${req.operator}`, { path: ['values'] });
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && count > 0) {
      report(ctx, IssueCode.Value, `values must be empty when operator is ${req.operator}`, { path: ['values'] });
    }
  });

/** metav1.LabelSelector. */
export const labelSelector = () =>
  obj({
    matchLabels: labelMap().optional(),
    matchExpressions: z.array(selectorRequirement()).optional(),
  });

/** A string matching `re` and at most `max` characters; `message` says what is accepted. */
export const pattern = (re: RegExp, message: string, max = Infinity) =>
  checkedString((value) => (value.length <= max && re.test(value) ? undefined : `"${value}" ${message}`));

const CONDITION_TYPE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** metav1.Condition, as Gateway API and Service status use it. */
export const metaCondition = () =>
  obj({
    type: pattern(CONDITION_TYPE, 'must be CamelCase or example.com/CamelCase, at most 316 characters', 316),
    status: conditionStatus(),
    observedGeneration: z.int().min(0).optional(),
    lastTransitionTime: z.string(),
    reason: pattern(CONDITION_REASON, 'must be a non-empty CamelCase identifier', 1024),
    message: z.string().max(32768),
  });

/**
 * A dual-stack list of IPs or CIDRs (Pod podIPs, Node podCIDRs, Service clusterIPs):
 * at most two, and two must be of different families.
 */
export function checkDualStack(
  ctx: z.RefinementCtx,
  families: readonly (0 | 4 | 6)[],
  path: (index: number) => PropertyKey[],
  what: string,
): void {
  if (families.length > 2) {
    report(ctx, IssueCode.Value, `may have at most 2 ${what} (one per IP family)`, { path: path(2) });
  } else if (families.length === 2 && families[0] !== 0 && families[0] === families[1]) {
    report(ctx, IssueCode.Value, `dual-stack ${what} must be of different IP families (one IPv4, one IPv6)`, { path: path(1) });
  }
}

/**
 * Istio's labels on Namespaces, Services and Pods. Kubernetes accepts any label value;
 * Istio silently ignores values it does not know, so Ambit rejects them as typos.
 */
export const ISTIO_LABELS = {
  dataplaneMode: 'istio.io/dataplane-mode',
  useWaypoint: 'istio.io/use-waypoint',
  useWaypointNamespace: 'istio.io/use-waypoint-namespace',
  waypointFor: 'istio.io/waypoint-for',
} as const;

export const DATAPLANE_MODES = ['ambient', 'none'] as const;
export const WAYPOINT_FOR = ['service', 'workload', 'all', 'none'] as const;

export function checkIstioLabels(
  ctx: z.RefinementCtx,
  labels: Readonly<Record<string, string>> | undefined,
  which: { dataplaneMode?: boolean; useWaypoint?: boolean; waypointFor?: boolean },
): void {
  if (labels === undefined) return;
  const at = (key: string): PropertyKey[] => ['metadata', 'labels', key];
  const mode = labels[ISTIO_LABELS.dataplaneMode];
  if (which.dataplaneMode === true && mode !== undefined && !(DATAPLANE_MODES as readonly string[]).includes(mode)) {
    report(ctx, IssueCode.Value, `"${mode}" is not one of ${DATAPLANE_MODES.join(', ')}`, {
      path: at(ISTIO_LABELS.dataplaneMode),
      hint: 'Istio ignores any other value, leaving the workloads out of the ambient mesh',
    });
  }
  const waypoint = labels[ISTIO_LABELS.useWaypoint];
  if (which.useWaypoint === true && waypoint !== undefined && waypoint !== 'none') {
    const err = checkDns1123Subdomain(waypoint);
    if (err !== undefined) {
      report(ctx, IssueCode.Value, `must name a waypoint Gateway or be "none": ${err}`, { path: at(ISTIO_LABELS.useWaypoint) });
    }
  }
  const waypointNs = labels[ISTIO_LABELS.useWaypointNamespace];
  if (which.useWaypoint === true && waypointNs !== undefined) {
    const err = checkDns1123Label(waypointNs);
    if (err !== undefined) report(ctx, IssueCode.Value, `must be a namespace name: ${err}`, { path: at(ISTIO_LABELS.useWaypointNamespace) });
  }
  const waypointFor = labels[ISTIO_LABELS.waypointFor];
  if (which.waypointFor === true && waypointFor !== undefined && !(WAYPOINT_FOR as readonly string[]).includes(waypointFor)) {
    report(ctx, IssueCode.Value, `"${waypointFor}" is not one of ${WAYPOINT_FOR.join(', ')}`, { path: at(ISTIO_LABELS.waypointFor) });
  }
}
