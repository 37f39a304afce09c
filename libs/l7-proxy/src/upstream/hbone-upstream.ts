import { connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { SpiffeId } from '@ambit/crypto';
import { HbonePool } from '@ambit/hbone';
import type { Endpoint, UpstreamConnector } from '../engine/index.js';
import type { MeshView } from '../state/index.js';
import { UpstreamClosedError } from './errors.js';

/** The port every ztunnel accepts HBONE on. */
export const HBONE_PORT = 15008;

/**
 * The engine's way to an endpoint. An HBONE workload is reached through its node's
 * ztunnel: a CONNECT to `<workload ip>:15008` for `<endpoint ip>:<port>` (the same
 * address, except for a waypoint reached for a service's VIP), presenting the proxy's
 * own certificate (as Istio's proxies do, the destination sees the proxy's identity
 * and applies its policies to it) and expecting the endpoint's identity. A workload
 * outside the mesh (tunnel protocol NONE) is dialled directly.
 */
export class HboneUpstream implements UpstreamConnector {
  readonly #pool: HbonePool;
  readonly #state: MeshView;
  readonly #identity: SpiffeId;

  constructor(pool: HbonePool, state: MeshView, identity: SpiffeId) {
    this.#pool = pool;
    this.#state = state;
    this.#identity = identity;
  }

  connect(endpoint: Endpoint, signal: AbortSignal): Promise<Duplex> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const workload = this.#state.workloads.byUid(endpoint.uid);
    if (workload?.protocol === 'TCP') return dialTcp(endpoint, signal);
    const tunnel = this.#pool.connect(
      {
        sourceIdentity: this.#identity,
        destinationIdentities: [SpiffeId.parse(endpoint.identity)],
        destination: { ip: endpoint.ip, port: endpoint.port },
        hboneAddress: { ip: workload?.workloadIps[0] ?? endpoint.ip, port: HBONE_PORT },
      },
      signal,
    );
    // The engine aborts without a reason of its own at its connect timeout or when draining.
    return tunnel.catch((error: unknown) => {
      throw signal.aborted && !(error instanceof Error) ? new UpstreamClosedError() : error;
    });
  }
}

function dialTcp(endpoint: Endpoint, signal: AbortSignal): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: endpoint.ip, port: endpoint.port, noDelay: true, signal });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
