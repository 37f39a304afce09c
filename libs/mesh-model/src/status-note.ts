import type { Severity } from './analysis/codes.js';

/**
 * Why an input resource applies to less than it says, or to nothing. The status stage
 * turns these into conditions; reasons are stable, messages are for people.
 */
export const StatusReason = {
  /** A selector (Service, ServiceEntry, AuthorizationPolicy, PeerAuthentication) matches no workload. */
  SelectsNothing: 'SelectsNothing',
  /** A Service without selector: its endpoints would come from EndpointSlices, which this stage does not read. */
  NoSelector: 'NoSelector',
  /** A Pod that is no workload: not running, no IP yet, or on the host network. */
  NoWorkload: 'NoWorkload',
  /** A Pod that ztunnel does not capture, and why. */
  NotCaptured: 'NotCaptured',
  /** `istio.io/use-waypoint` names a waypoint that does not exist (or a Gateway that is not one). */
  WaypointNotFound: 'WaypointNotFound',
  /** The waypoint's listener does not allow routes from this namespace. */
  WaypointAttachmentDenied: 'WaypointAttachmentDenied',
  /** The waypoint's `istio.io/waypoint-for` excludes this kind of traffic. */
  WaypointUnsupportedTrafficType: 'WaypointUnsupportedTrafficType',
  /** Something ztunnel cannot do: ExternalName, CUSTOM action, a CIDR or socket address. */
  Unsupported: 'Unsupported',
  /** A reference (host, subset, port, Gateway, Secret, targetRef) that resolves to nothing. */
  NotFound: 'NotFound',
  /** Configuration only a waypoint can apply (L7 routing, L7 policy) for a target that has none. */
  NoWaypoint: 'NoWaypoint',
  /** HTTP-only attributes in a policy that ztunnel enforces at L4 (Istio's UnsupportedValue warning). */
  HttpAttributesAtL4: 'HttpAttributesAtL4',
  /** PeerAuthentication settings that ambient ignores (portLevelMtls without selector, selector in the root namespace). */
  Ignored: 'Ignored',
  /** Another policy of the same level takes precedence (Istio keeps the oldest; Ambit the first by name). */
  Superseded: 'Superseded',
  /** Two sources claim one resource name (a ServiceEntry host of a Service's hostname, a repeated endpoint). */
  Conflict: 'Conflict',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

/** One finding about a resource; `note()` in analysis/codes.ts builds it from a code. */
export interface StatusNote {
  /** Stable code (`AMB0101`…), documented in docs/analysis.md. */
  readonly code: string;
  readonly severity: Severity;
  readonly reason: StatusReason;
  readonly message: string;
  /** The field the finding is about, when it is about one field. */
  readonly path?: string;
  readonly hint?: string;
}
