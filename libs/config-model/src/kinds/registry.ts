import type { KindDefinition, ResourceOf } from './define-kind.js';
import { virtualService } from './networking/virtual-service.js';
import { destinationRule } from './networking/destination-rule.js';
import { gateway } from './networking/gateway.js';
import { serviceEntry } from './networking/service-entry.js';
import { workloadEntry } from './networking/workload-entry.js';
import { sidecar } from './networking/sidecar.js';
import { peerAuthentication } from './security/peer-authentication.js';
import { authorizationPolicy } from './security/authorization-policy.js';
import { requestAuthentication } from './security/request-authentication.js';
import { telemetry } from './telemetry/telemetry.js';
import { namespace } from './kubernetes/namespace.js';
import { node } from './kubernetes/node.js';
import { service } from './kubernetes/service.js';
import { pod } from './kubernetes/pod.js';
import { serviceAccount } from './kubernetes/service-account.js';
import { secret } from './kubernetes/secret.js';
import { endpointSlice } from './kubernetes/endpoint-slice.js';
import { kubernetesGateway } from './gateway-api/gateway.js';

/** Every kind Ambit reads, in the order docs/configuration.md lists them. */
export const KINDS = [
  virtualService,
  destinationRule,
  gateway,
  serviceEntry,
  workloadEntry,
  sidecar,
  peerAuthentication,
  authorizationPolicy,
  requestAuthentication,
  telemetry,
  namespace,
  node,
  service,
  pod,
  serviceAccount,
  secret,
  endpointSlice,
  kubernetesGateway,
] as const satisfies readonly KindDefinition[];

/** Any resource Ambit reads, typed and normalised; narrow on `group` and `kind`. */
export type Resource = ResourceOf<(typeof KINDS)[number]>;

export type VirtualServiceResource = ResourceOf<typeof virtualService>;
export type DestinationRuleResource = ResourceOf<typeof destinationRule>;
export type GatewayResource = ResourceOf<typeof gateway>;
export type ServiceEntryResource = ResourceOf<typeof serviceEntry>;
export type WorkloadEntryResource = ResourceOf<typeof workloadEntry>;
export type SidecarResource = ResourceOf<typeof sidecar>;
export type PeerAuthenticationResource = ResourceOf<typeof peerAuthentication>;
export type AuthorizationPolicyResource = ResourceOf<typeof authorizationPolicy>;
export type RequestAuthenticationResource = ResourceOf<typeof requestAuthentication>;
export type TelemetryResource = ResourceOf<typeof telemetry>;
export type NamespaceResource = ResourceOf<typeof namespace>;
export type NodeResource = ResourceOf<typeof node>;
export type ServiceResource = ResourceOf<typeof service>;
export type PodResource = ResourceOf<typeof pod>;
export type ServiceAccountResource = ResourceOf<typeof serviceAccount>;
export type SecretResource = ResourceOf<typeof secret>;
export type EndpointSliceResource = ResourceOf<typeof endpointSlice>;
export type KubernetesGatewayResource = ResourceOf<typeof kubernetesGateway>;
