import { matchesLabelSelector, EMPTY_LABELS, type Labels } from './labels.js';
import { StatusReason } from './status-note.js';
import type { StoreView } from './store.js';
import type { Waypoint } from './waypoint.js';
import { waypointKey, waypointUse, type WaypointUse } from './waypoint-use.js';

/** The waypoint a service or workload uses, or why it uses none although one was asked for. */
export type WaypointBinding =
  | { readonly kind: 'none' }
  | { readonly kind: 'bound'; readonly waypoint: Waypoint }
  | {
      readonly kind: 'error';
      readonly reason: (typeof StatusReason)['WaypointNotFound' | 'WaypointAttachmentDenied' | 'WaypointUnsupportedTrafficType'];
      /** `namespace/name` of the waypoint asked for. */
      readonly waypoint: string;
      readonly message: string;
      /** Whether the request came from the namespace's label rather than the object's own. */
      readonly fromNamespace: boolean;
    };

const NONE: WaypointBinding = { kind: 'none' };

/**
 * Istio's fetchWaypointForTarget and its traffic-type check (ambient/waypoints.go): the
 * object's own `istio.io/use-waypoint` wins (`none` opts out of the namespace's); else
 * the namespace's. A named waypoint that is missing, not a waypoint, closed to the
 * object's namespace, or not for this kind of traffic gives no waypoint; Istio does not
 * fall back to the namespace's in that case, and neither does Ambit.
 */
export function bindWaypoint(
  store: StoreView,
  traffic: 'service' | 'workload',
  waypointLabels: Labels | undefined,
  namespace: string,
): WaypointBinding {
  if (waypointLabels === undefined) return NONE;
  const own = waypointUse(waypointLabels, namespace);
  if (own !== undefined) return own.kind === 'none' ? NONE : bindTo(store, traffic, own, namespace, false);
  const nsUse = store.namespace(namespace)?.waypoint;
  return nsUse === undefined || nsUse.kind === 'none' ? NONE : bindTo(store, traffic, nsUse, namespace, true);
}

/** The waypoint key an object would ask for (own label, else its namespace's), without checking it. */
export function requestedWaypoint(store: StoreView, waypointLabels: Labels | undefined, namespace: string): string | undefined {
  if (waypointLabels === undefined) return undefined;
  const use = waypointUse(waypointLabels, namespace) ?? store.namespace(namespace)?.waypoint;
  return use?.kind === 'waypoint' ? waypointKey(use.namespace, use.name) : undefined;
}

function bindTo(
  store: StoreView,
  traffic: 'service' | 'workload',
  use: Extract<WaypointUse, { kind: 'waypoint' }>,
  namespace: string,
  fromNamespace: boolean,
): WaypointBinding {
  const key = waypointKey(use.namespace, use.name);
  const waypoint = store.waypoint(key);
  const error = (reason: Extract<WaypointBinding, { kind: 'error' }>['reason'], message: string): WaypointBinding => ({
    kind: 'error',
    reason,
    waypoint: key,
    message,
    fromNamespace,
  });
  if (waypoint === undefined) {
    return error(
      StatusReason.WaypointNotFound,
      store.hasGateway(key) ? `Gateway ${key} is not a waypoint (gatewayClassName is not istio-waypoint)` : `waypoint ${key} does not exist`,
    );
  }
  if (!allowsNamespace(store, waypoint, namespace)) {
    return error(StatusReason.WaypointAttachmentDenied, `waypoint ${key} does not allow namespace ${namespace} (its HBONE listener's allowedRoutes)`);
  }
  if (waypoint.trafficType !== traffic && waypoint.trafficType !== 'all') {
    return error(StatusReason.WaypointUnsupportedTrafficType, `waypoint ${key} is for ${waypoint.trafficType} traffic (istio.io/waypoint-for), not ${traffic} traffic`);
  }
  return { kind: 'bound', waypoint };
}

function allowsNamespace(store: StoreView, waypoint: Waypoint, namespace: string): boolean {
  const allowed = waypoint.allowedNamespaces;
  switch (allowed.from) {
    case 'All':
      return true;
    case 'Same':
      return waypoint.namespace === namespace;
    case 'Selector':
      // A Selector listener without selector selects nothing (LabelSelectorAsSelector(nil)).
      return allowed.selector !== undefined && matchesLabelSelector(allowed.selector, store.namespace(namespace)?.labels ?? EMPTY_LABELS);
  }
}
