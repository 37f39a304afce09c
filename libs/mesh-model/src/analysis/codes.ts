import { StatusReason, type StatusNote } from '../status-note.js';

export type Severity = 'error' | 'warning' | 'info';

/** One analysis code: stable forever, documented in docs/analysis.md under its anchor. */
export interface CodeInfo {
  readonly code: string;
  readonly severity: Severity;
  /** The coarse reason a status condition carries (several codes share one). */
  readonly reason: StatusReason;
  readonly title: string;
  /** `istioctl analyze`'s code for the same finding, where Istio has one. */
  readonly istio?: string;
}

/**
 * Every finding the analysis can report, by name. Codes are grouped by area: AMB01xx a
 * reference that resolves to nothing, AMB02xx something ambient cannot enforce (no
 * waypoint, ztunnel at L4), AMB03xx resources that conflict, AMB04xx what Ambit (or
 * ambient) does not support or ignores. A code is never reused for another meaning.
 */
const CODES = {
  VirtualServiceHostNotFound: { code: 'AMB0101', severity: 'warning', reason: StatusReason.NotFound, title: 'a mesh VirtualService host matches no service' },
  DestinationHostNotFound: { code: 'AMB0102', severity: 'error', reason: StatusReason.NotFound, title: 'a route destination host matches no service', istio: 'IST0101' },
  SubsetNotFound: { code: 'AMB0103', severity: 'error', reason: StatusReason.NotFound, title: 'a route destination subset is defined by no DestinationRule of its host', istio: 'IST0101' },
  DestinationPortNotFound: { code: 'AMB0104', severity: 'error', reason: StatusReason.NotFound, title: 'a route destination port is not a port of the service', istio: 'IST0101' },
  GatewayNotFound: { code: 'AMB0105', severity: 'error', reason: StatusReason.NotFound, title: 'a VirtualService names a Gateway that does not exist', istio: 'IST0101' },
  DestinationRuleHostNotFound: { code: 'AMB0106', severity: 'warning', reason: StatusReason.NotFound, title: 'a DestinationRule host matches no service', istio: 'IST0174' },
  SubsetSelectsNothing: { code: 'AMB0107', severity: 'warning', reason: StatusReason.SelectsNothing, title: "a DestinationRule subset's labels match no workload of the service", istio: 'IST0173' },
  SelectsNothing: { code: 'AMB0108', severity: 'warning', reason: StatusReason.SelectsNothing, title: 'a selector matches no workload', istio: 'IST0127' },
  GatewaySelectsNothing: { code: 'AMB0109', severity: 'error', reason: StatusReason.SelectsNothing, title: "a Gateway's selector matches no gateway workload", istio: 'IST0101' },
  CredentialNotFound: { code: 'AMB0110', severity: 'error', reason: StatusReason.NotFound, title: "a Gateway server's credentialName names no Secret", istio: 'IST0101' },
  WaypointNotFound: { code: 'AMB0111', severity: 'error', reason: StatusReason.WaypointNotFound, title: 'istio.io/use-waypoint names a waypoint that does not exist' },
  TargetNotFound: { code: 'AMB0112', severity: 'error', reason: StatusReason.NotFound, title: 'a policy targetRef names a resource that does not exist' },
  RoutingWithoutWaypoint: { code: 'AMB0201', severity: 'warning', reason: StatusReason.NoWaypoint, title: 'a mesh VirtualService routes a service that has no waypoint' },
  DestinationRuleWithoutWaypoint: { code: 'AMB0202', severity: 'warning', reason: StatusReason.NoWaypoint, title: 'a DestinationRule configures a service that has no waypoint' },
  AuthorizationWithoutWaypoint: { code: 'AMB0203', severity: 'error', reason: StatusReason.NoWaypoint, title: 'an AuthorizationPolicy is attached to a target that has no waypoint' },
  L7PolicyWithoutWaypoint: { code: 'AMB0204', severity: 'warning', reason: StatusReason.NoWaypoint, title: 'a RequestAuthentication or Telemetry reaches no proxy that applies it' },
  HttpAttributesAtL4: { code: 'AMB0205', severity: 'warning', reason: StatusReason.HttpAttributesAtL4, title: 'an AuthorizationPolicy enforced by ztunnel uses HTTP attributes' },
  WaypointAttachmentDenied: { code: 'AMB0206', severity: 'error', reason: StatusReason.WaypointAttachmentDenied, title: 'the waypoint asked for does not allow this namespace' },
  WaypointUnsupportedTrafficType: { code: 'AMB0207', severity: 'error', reason: StatusReason.WaypointUnsupportedTrafficType, title: 'the waypoint asked for does not take this kind of traffic' },
  NotCaptured: { code: 'AMB0208', severity: 'info', reason: StatusReason.NotCaptured, title: 'a pod is not captured by ztunnel', istio: 'IST0102' },
  HostConflict: { code: 'AMB0301', severity: 'warning', reason: StatusReason.Conflict, title: 'a host is already defined by another Service or ServiceEntry' },
  DuplicateEndpoint: { code: 'AMB0302', severity: 'warning', reason: StatusReason.Conflict, title: 'a ServiceEntry repeats an endpoint address' },
  PeerAuthenticationSuperseded: { code: 'AMB0303', severity: 'warning', reason: StatusReason.Superseded, title: 'another PeerAuthentication of the same level applies instead' },
  DestinationRuleMerged: { code: 'AMB0304', severity: 'warning', reason: StatusReason.Conflict, title: 'DestinationRules for one host are merged and part of this one is dropped' },
  VirtualServiceHostConflict: { code: 'AMB0305', severity: 'error', reason: StatusReason.Conflict, title: 'two mesh VirtualServices route the same host', istio: 'IST0109' },
  SidecarUnsupported: { code: 'AMB0401', severity: 'warning', reason: StatusReason.Unsupported, title: 'Sidecar resources have no effect in ambient mode', istio: 'IST0167' },
  Unsupported: { code: 'AMB0402', severity: 'warning', reason: StatusReason.Unsupported, title: 'something ztunnel cannot do' },
  Ignored: { code: 'AMB0403', severity: 'warning', reason: StatusReason.Ignored, title: 'PeerAuthentication settings that ambient ignores' },
  NoSelector: { code: 'AMB0404', severity: 'info', reason: StatusReason.NoSelector, title: 'a Service without selector has no endpoints in the ambient mesh' },
  NoWorkload: { code: 'AMB0405', severity: 'info', reason: StatusReason.NoWorkload, title: 'a pod is not a workload (finished, no IP yet, or host network)' },
} as const satisfies Record<string, CodeInfo>;

export type CodeName = keyof typeof CODES;

/** Every code, in code order: the registry docs/analysis.md documents (a test checks it does). */
export const ANALYSIS_CODES: readonly CodeInfo[] = Object.values(CODES as Record<string, CodeInfo>).sort((a, b) => (a.code < b.code ? -1 : 1));

const BY_CODE = new Map(ANALYSIS_CODES.map((info) => [info.code, info]));

export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code);
}

/** Where a code is explained: docs/analysis.md, one anchor per code. */
export function codeDoc(code: string): string {
  return `docs/analysis.md#${code.toLowerCase()}`;
}

export interface NoteDetail {
  /** The field the finding is about, as config-model writes paths (`spec.http[0].route[1].destination.subset`). */
  readonly path?: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** A status note for a finding: its code, with the severity and reason the registry gives it. */
export function note(name: CodeName, message: string, detail: NoteDetail = {}): StatusNote {
  const info: CodeInfo = CODES[name];
  return {
    code: info.code,
    severity: info.severity,
    reason: info.reason,
    message,
    ...(detail.path === undefined ? {} : { path: detail.path }),
    ...(detail.hint === undefined ? {} : { hint: detail.hint }),
  };
}
