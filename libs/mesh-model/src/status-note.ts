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
  /** An AuthorizationPolicy attached with targetRef(s): enforced by waypoints, not ztunnel. */
  TargetsWaypoint: 'TargetsWaypoint',
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

export interface StatusNote {
  readonly reason: StatusReason;
  readonly message: string;
}
