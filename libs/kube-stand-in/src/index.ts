// A Kubernetes API server stand-in for tests (type:testing): import it from test files only.
export { KubeStandIn } from './kube-stand-in.js';
export type { KubeStandInOptions, ObjectRef, RecordedRequest } from './kube-stand-in.js';
export { SERVED_RESOURCES, resourceName } from './resources.js';
export type { ServedResource } from './resources.js';
export type { KubeObject } from './selectors.js';
export { DEFAULT_API_AUDIENCE, EXTRA } from './token-review.js';
export type { ServiceAccountTokenOptions, TokenReviewStatus } from './token-review.js';
export type { KubeStatus } from './errors.js';
