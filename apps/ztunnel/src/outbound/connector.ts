import type { Duplex } from 'node:stream';
import type { OutboundPlan } from './plan.js';

/**
 * Opens the upstream side of an outbound connection as a plan describes it. The
 * plain-TCP connector is one implementation; the HBONE connector (libs/hbone: mutual
 * TLS with the source workload's certificate, HTTP/2 CONNECT to `plan.hboneTarget`,
 * checking the peer against `plan.upstreamIdentities`) is another.
 */
export interface Connector {
  /**
   * Resolves with a connected stream, or rejects with an OutboundError saying why
   * (refused, unreachable, unsupported). Aborting `signal` abandons the attempt.
   */
  connect(plan: OutboundPlan, signal: AbortSignal): Promise<Duplex>;
}
