// The CA stage: the mesh CA and the control plane's own serving certificate, renewed at half-life.
export { CaNotStartedError, CaStage, CONTROL_PLANE_SERVICE_ACCOUNT } from './ca-stage.js';
export type { CaStageOptions } from './ca-stage.js';
export type { ServingCertificate, ServingCertificateListener, ServingCertificateSource } from './serving-certificate.js';
