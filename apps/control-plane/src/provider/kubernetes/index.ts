// The Kubernetes provider: the mesh's resources from the API server, by list/watch.
export { KubernetesProvider } from './kubernetes-provider.js';
export type { KubernetesProviderOptions, KubernetesProviderStatus } from './kubernetes-provider.js';
export type { KindState, KindStatus } from './kind-informer.js';
export type { ObjectStatus } from './object-set.js';
export { KubeApiClient } from './api-client.js';
export { loadKubeConfig } from './kubeconfig.js';
export { WATCHED_KINDS, resourceOf } from './watched-kinds.js';
export type { WatchedKind } from './watched-kinds.js';
export { KubeApiError, KubeApiUnreachableError, KubeconfigError, KubernetesProviderOptionError, KubernetesSyncError } from './errors.js';
export { KUBERNETES_PROVIDER_CHANNELS } from './channels.js';
export type { KindFailedEvent, KubernetesProviderErrorEvent, ObjectRejectedEvent } from './channels.js';
