import { Counter, type Registry } from 'prom-client';

/** Why a certificate request was refused: the `reason` label's values, all present from the start. */
export const REFUSAL_REASONS = [
  'unauthenticated',
  'permission_denied',
  'invalid_argument',
  'too_large',
  'malformed',
  'overloaded',
  'timeout',
  'unavailable',
  'internal',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * The CA service's metrics. Names are istiod's where istiod counts the same thing
 * (`citadel_server_csr_count`, `citadel_server_success_cert_issuance_count`,
 * `citadel_server_authentication_failure_count`), so existing dashboards read them;
 * refusals by reason are Ambit's own.
 */
export class CaMetrics {
  readonly #received: Counter;
  readonly #signed: Counter;
  readonly #authenticationFailures: Counter;
  readonly #refused: Counter<'reason'>;

  constructor(registry: Registry) {
    this.#received = new Counter({ name: 'citadel_server_csr_count', help: 'The number of CSRs received by Citadel server.', registers: [registry] });
    this.#signed = new Counter({ name: 'citadel_server_success_cert_issuance_count', help: 'The number of certificates issuances that have succeeded.', registers: [registry] });
    this.#authenticationFailures = new Counter({ name: 'citadel_server_authentication_failure_count', help: 'The number of authentication failures.', registers: [registry] });
    this.#refused = new Counter({ name: 'ambit_ca_csr_refused_total', help: 'Certificate requests refused, by reason.', labelNames: ['reason'], registers: [registry] });
    // Zero series from the start, so that rate() sees the first refusal.
    for (const reason of REFUSAL_REASONS) this.#refused.inc({ reason }, 0);
  }

  received(): void {
    this.#received.inc();
  }

  signed(): void {
    this.#signed.inc();
  }

  refused(reason: RefusalReason): void {
    this.#refused.inc({ reason });
    if (reason === 'unauthenticated') this.#authenticationFailures.inc();
  }
}
