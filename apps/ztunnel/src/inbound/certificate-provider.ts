import type { WorkloadCertificate } from '@ambit/hbone';

/**
 * Where inbound gets the certificate of a local workload to answer HBONE with (the
 * workload certificate manager implements it): the destination's identity is what the
 * client expects, and what it checks.
 */
export interface WorkloadCertificateProvider {
  /** The certificate held now for `spiffeId`, if any (the fast path: no waiting). */
  current(spiffeId: string): WorkloadCertificate | undefined;
  /** The certificate for `spiffeId`, fetched if none is held yet; `signal` abandons the wait. */
  forIdentity(spiffeId: string, signal?: AbortSignal): Promise<WorkloadCertificate>;
}
