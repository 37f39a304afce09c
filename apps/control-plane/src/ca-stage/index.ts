// The CA stage: the mesh CA, the control plane's own serving certificate (renewed at half-life), and the CreateCertificate service.
export { CaNotStartedError, CaStage, CONTROL_PLANE_SERVICE_ACCOUNT } from './ca-stage.js';
export type { CaStageOptions } from './ca-stage.js';
export type { ServingCertificate, ServingCertificateListener, ServingCertificateSource } from './serving-certificate.js';
export { CertificateService, IMPERSONATED_IDENTITY } from './certificate-service.js';
export type { CertificateServiceOptions } from './certificate-service.js';
export { CaMetrics, REFUSAL_REASONS } from './metrics.js';
export type { RefusalReason } from './metrics.js';
export { CertificateRequestTooLargeError, InvalidCertificateRequestError } from './errors.js';
