import type { Logger } from '@ambit/telemetry';
import type { LocalListenerKind } from '../local-listeners/index.js';
import type { StateView } from '../state/index.js';
import type { TcpMetrics } from '../telemetry/index.js';
import { InboundAuthorizer } from './authorizer.js';
import type { InboundContext } from './context.js';
import { HboneInboundListener, type HboneInboundOptions } from './hbone-inbound.js';
import { InboundStats, type InboundPath, type InboundPathStatus } from './inbound-stats.js';
import { plaintextInboundListener, type PlaintextInboundOptions } from './plaintext-inbound.js';

export interface InboundOptions {
  readonly state: StateView;
  readonly nodeName: string;
  /** This ztunnel's network: inbound connections are on it, and workloads are looked up on it. */
  readonly network: string;
  /** Istio's TCP metrics (reporter `destination` here). */
  readonly metrics: TcpMetrics;
  readonly log: Logger;
  /** Whether `ip:port` is one of this ztunnel's own listeners (the local listener set's `owns`): never forwarded to. */
  readonly isOwnAddress: (ip: string, port: number) => boolean;
  /** Connecting to the destination workload; default 10 s, ztunnel's connect timeout. */
  readonly connectTimeoutMs?: number;
}

/**
 * ztunnel's inbound side for local mode: the HBONE (:15008) and plaintext (:15006)
 * listener kinds that the local listener set opens on every local workload address,
 * sharing one L4 authorizer, Istio's TCP metrics and connection counts.
 */
export class Inbound {
  readonly #context: InboundContext;

  constructor(options: InboundOptions) {
    this.#context = {
      state: options.state,
      nodeName: options.nodeName,
      network: options.network,
      metrics: options.metrics,
      log: options.log,
      isOwnAddress: options.isOwnAddress,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      authorizer: new InboundAuthorizer(options.state, options.log),
      stats: new InboundStats(),
    };
  }

  /** The HBONE inbound listener kind (`hbone`). */
  hbone(options: HboneInboundOptions): LocalListenerKind {
    return { name: 'hbone', create: (address) => new HboneInboundListener(this.#context, options, address) };
  }

  /** The plaintext inbound listener kind (`plaintext`). */
  plaintext(options: PlaintextInboundOptions): LocalListenerKind {
    return { name: 'plaintext', create: (address) => plaintextInboundListener(this.#context, options, address) };
  }

  /** Connection counts per path, for the admin dump. */
  status(): Readonly<Record<InboundPath, InboundPathStatus>> {
    return this.#context.stats.status();
  }

  /** Stops following policy changes (after the listeners are closed). */
  close(): void {
    this.#context.authorizer.close();
  }
}
