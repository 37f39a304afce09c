// The provider stage: where the mesh's resources come from, published as change batches.
export type { ChangeListener, ConfigProvider, ResourceChangeBatch } from './config-provider.js';
export { keyOf } from './resource-key.js';
export type { ResourceKey } from './resource-key.js';
export { FileProvider } from './file/file-provider.js';
export type { FileProviderOptions, FileProviderStatus } from './file/file-provider.js';
export type { FileStatus } from './file/file-set.js';
export { ConfigDirectoryError, FileProviderOptionError } from './file/errors.js';
export { FILE_PROVIDER_CHANNELS } from './file/channels.js';
export type { FileLoadedEvent, PollingEvent, ProviderErrorEvent } from './file/channels.js';
export { KubernetesProvider, KUBERNETES_PROVIDER_CHANNELS, loadKubeConfig, KubeApiClient, KubeApiError, KubeApiUnreachableError, KubeconfigError, KubernetesProviderOptionError, KubernetesSyncError } from './kubernetes/index.js';
export type { KindFailedEvent, KindStatus, KubernetesProviderErrorEvent, KubernetesProviderOptions, KubernetesProviderStatus, ObjectRejectedEvent, ObjectStatus } from './kubernetes/index.js';
