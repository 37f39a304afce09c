import type { AuthorizationPolicyResource, PeerAuthenticationResource } from '@ambit/config-model';
import { ANNOTATION } from './istio-labels.js';
import { nonEmpty, type Labels } from './labels.js';
import { idOf, type ResourceId } from './resource-id.js';
import { targetRefsOf, type AttachedTarget } from './analysis/target-refs.js';

export type AuthorizationAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
type Spec = NonNullable<AuthorizationPolicyResource['spec']>;
export type AuthorizationRule = NonNullable<Spec['rules']>[number];

/** An AuthorizationPolicy, normalised. */
export interface AuthorizationPolicyEntry {
  /** `namespace/name`. */
  readonly key: string;
  readonly id: ResourceId;
  readonly namespace: string;
  readonly name: string;
  /**
   * Undefined: no selector (namespace- or mesh-wide). A selector without labels selects
   * every workload of the namespace, as config-model documents it (and as sidecars do).
   */
  readonly selector: Labels | undefined;
  /** Attached with targetRef/targetRefs: enforced by waypoints, never by ztunnel. */
  readonly targetsWaypoint: boolean;
  /** The targetRef or targetRefs, as written. */
  readonly targets: readonly AttachedTarget[];
  readonly action: AuthorizationAction;
  readonly rules: readonly AuthorizationRule[];
  readonly dryRun: boolean;
}

export function authorizationPolicyEntry(ap: AuthorizationPolicyResource): AuthorizationPolicyEntry {
  const spec = ap.spec ?? {};
  const { namespace, name } = ap.metadata;
  const targets = targetRefsOf(spec);
  return {
    key: `${namespace}/${name}`,
    id: idOf(ap),
    namespace,
    name,
    selector: spec.selector === undefined ? undefined : (spec.selector.matchLabels ?? {}),
    targetsWaypoint: targets.length > 0,
    targets,
    action: spec.action ?? 'ALLOW',
    rules: spec.rules ?? [],
    dryRun: parseGoBool(ap.metadata.annotations[ANNOTATION.dryRun] ?? '') ?? false,
  };
}

/** strconv.ParseBool, which Istio uses for `istio.io/dry-run`. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

/** A PeerAuthentication, normalised. */
export interface PeerAuthenticationEntry {
  readonly key: string;
  readonly id: ResourceId;
  readonly namespace: string;
  readonly name: string;
  /** Undefined without matchLabels: a namespace-level (or, in the root namespace, mesh-level) policy. */
  readonly selector: Labels | undefined;
  readonly mode: MtlsMode;
  /** portLevelMtls by port number, ascending (Istio iterates them with maps.SeqStable). */
  readonly portLevel: readonly { readonly port: number; readonly mode: MtlsMode }[];
}

export function peerAuthenticationEntry(pa: PeerAuthenticationResource): PeerAuthenticationEntry {
  const spec = pa.spec ?? {};
  const { namespace, name } = pa.metadata;
  return {
    key: `${namespace}/${name}`,
    id: idOf(pa),
    namespace,
    name,
    selector: nonEmpty(spec.selector?.matchLabels),
    mode: spec.mtls?.mode ?? 'UNSET',
    portLevel: Object.entries(spec.portLevelMtls ?? {})
      .map(([port, mtls]) => ({ port: Number(port), mode: mtls.mode ?? 'UNSET' }))
      .filter((p) => Number.isInteger(p.port) && p.port > 0 && p.port <= 65535)
      .sort((a, b) => a.port - b.port),
  };
}
