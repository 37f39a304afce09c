import { MeshSettingError } from './errors.js';

/**
 * The mesh-wide settings the model and translator read (Istio's MeshConfig fields of
 * the same meaning). Built once, frozen; a change of settings means a new model.
 */
export interface MeshSettings {
  /** SPIFFE trust domain of workload identities. */
  readonly trustDomain: string;
  /** Istio's root namespace: mesh-wide policies live here. */
  readonly rootNamespace: string;
  /** DNS suffix of Kubernetes Service hostnames (`<name>.<ns>.svc.<clusterDomain>`). */
  readonly clusterDomain: string;
  /** Prefix of workload uids and the workloads' cluster_id (Istio's default is `Kubernetes`). */
  readonly clusterId: string;
  /** Network of pods and of service VIPs; empty for a single-network mesh. */
  readonly network: string;
}

export const DEFAULT_MESH_SETTINGS: MeshSettings = Object.freeze({
  trustDomain: 'cluster.local',
  rootNamespace: 'istio-system',
  clusterDomain: 'cluster.local',
  clusterId: 'Kubernetes',
  network: '',
});

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Settings with defaults filled in; throws MeshSettingError naming the first bad one. */
export function meshSettings(options: Partial<MeshSettings> = {}): MeshSettings {
  const settings = { ...DEFAULT_MESH_SETTINGS, ...options };
  if (!DNS_NAME.test(settings.trustDomain) || settings.trustDomain.length > 255) {
    throw new MeshSettingError('trustDomain', settings.trustDomain, 'must be a lower case DNS name (it is the host of every SPIFFE ID)');
  }
  if (!DNS_LABEL.test(settings.rootNamespace) || settings.rootNamespace.length > 63) {
    throw new MeshSettingError('rootNamespace', settings.rootNamespace, 'must be a namespace name');
  }
  if (!DNS_NAME.test(settings.clusterDomain)) {
    throw new MeshSettingError('clusterDomain', settings.clusterDomain, 'must be a lower case DNS name, e.g. cluster.local');
  }
  // Uids are `<clusterId>/<group>/<kind>/...`; a slash would make them ambiguous.
  if (settings.clusterId === '' || settings.clusterId.includes('/')) {
    throw new MeshSettingError('clusterId', settings.clusterId, 'must be non-empty and contain no "/"');
  }
  if (settings.network.includes('/')) {
    throw new MeshSettingError('network', settings.network, 'must contain no "/"');
  }
  return Object.freeze(settings);
}
