import { HboneCertificateError, HboneServer, relay, type HboneInboundRequest, type HboneServerOptions, type IpPort, type MeshTrust, type WorkloadCertificate } from '@ambit/hbone';
import type { AmbitError } from '@ambit/errors';
import { listenServerInNetns } from '@ambit/netns';
import { errorText, formatAddress } from '@ambit/telemetry';
import type { LocalAddress, LocalListener } from '../local-listeners/index.js';
import { canonicalIp } from '../state/index.js';
import { countBytes, parseBaggage } from '../telemetry/index.js';
import { accountRelay, admit, connectWorkload, describeTarget, type InboundConnection } from './admission.js';
import type { WorkloadCertificateProvider } from './certificate-provider.js';
import type { InboundContext } from './context.js';
import { localWorkload } from './destination.js';
import { InboundDestinationError, InboundListenError, InboundSelfCallError, type InboundRefusedError } from './errors.js';

/** HboneServer settings inbound passes through (limits and timeouts; tests shorten them). */
export type HboneInboundTuning = Partial<Omit<HboneServerOptions, 'trust' | 'certificateFor' | 'handler' | 'onError'>>;

export interface HboneInboundOptions {
  /** The HBONE port on each workload address (15008; 0: one picked per listener, for tests). */
  readonly port: number;
  readonly trust: MeshTrust;
  readonly certificates: WorkloadCertificateProvider;
  readonly server?: HboneInboundTuning;
}

/**
 * HBONE inbound on one workload address (`<podIP>:15008`), as ztunnel's in-pod inbound:
 * the connection is answered with the certificate of the workload at the address it
 * arrived on, and each CONNECT is for that workload:
 *
 * 1. `:authority` must be this address (else 400, ztunnel's IPMismatch), the workload
 *    must still be on this node (else 503), and the port must not be one of ztunnel's
 *    own listeners (else 503, SelfCall);
 * 2. L4 authorization with the client's verified identity and the HBONE peer's address
 *    (ztunnel's source address; `forwarded` is not trusted) — denied: 401;
 * 3. a TCP connection to the workload's ip:port — refused or unreachable: 503;
 * 4. 200, and the tunnel is relayed until both sides end.
 */
export class HboneInboundListener implements LocalListener {
  readonly #context: InboundContext;
  readonly #options: HboneInboundOptions;
  readonly #ip: string;
  readonly #netns: string | undefined;
  readonly #server: HboneServer;
  /** Aborts certificate fetches and upstream connects at the drain deadline. */
  readonly #drain = new AbortController();
  #address: { host: string; port: number } | undefined;

  constructor(context: InboundContext, options: HboneInboundOptions, address: LocalAddress) {
    this.#context = context;
    this.#options = options;
    this.#ip = address.ip;
    this.#netns = address.netns;
    this.#server = new HboneServer({
      ...options.server,
      trust: options.trust,
      certificateFor: (local) => this.#certificateFor(local),
      handler: (request) => this.#serve(request),
      onError: (error) => this.#report(error),
    });
  }

  get address(): { readonly host: string; readonly port: number } | undefined {
    return this.#address;
  }

  async listen(): Promise<void> {
    const host = this.#ip;
    try {
      const netns = this.#netns;
      const bind = netns === undefined ? undefined : (server: Parameters<typeof listenServerInNetns>[0]) => listenServerInNetns(server, netns, { ip: host, port: this.#options.port });
      const bound = await this.#server.listen({ host, port: this.#options.port }, bind);
      this.#address = { host, port: bound.port };
    } catch (error) {
      throw new InboundListenError('HBONE', formatAddress({ host, port: this.#options.port }), error);
    }
  }

  async close(deadline: number): Promise<void> {
    const timer = setTimeout(() => this.#drain.abort(new Error('drain deadline reached')), Math.max(0, deadline - Date.now()));
    await this.#server.close(Math.max(0, deadline - Date.now()));
    clearTimeout(timer);
    this.#drain.abort(new Error('listener closed'));
  }

  async #certificateFor(local: IpPort): Promise<WorkloadCertificate | undefined> {
    const { state, network, nodeName } = this.#context;
    const workload = localWorkload(state.workloads, network, nodeName, canonicalIp(local.ip) ?? local.ip);
    if (workload === undefined) return undefined;
    return this.#options.certificates.current(workload.identity) ?? this.#options.certificates.forIdentity(workload.identity, this.#drain.signal);
  }

  async #serve(request: HboneInboundRequest): Promise<void> {
    const context = this.#context;
    let connection: InboundConnection;
    try {
      connection = this.#connectionFor(request);
    } catch (error) {
      const refused = error as InboundRefusedError;
      context.stats.count('hbone', 'refused');
      context.log.info('inbound connection refused', { path: 'hbone', peer: formatAddress({ host: request.peer.ip, port: request.peer.port }), principal: request.clientIdentity.toString(), error: refused.message });
      request.reject(refused.status);
      return;
    }
    const { metrics, denied } = admit(context, connection);
    if (denied !== undefined) return request.reject(denied.status);
    const upstream = await connectWorkload(context, connection, metrics, 'CONNECT', this.#drain.signal);
    if (upstream === undefined) return request.reject(503);
    // The client may have gone, or the server answered 504 for us, while we connected.
    if (request.decided) {
      upstream.destroy();
      metrics.closed('CONNECT');
      return;
    }
    const tunnel = request.accept();
    if (tunnel.destroyed) {
      upstream.destroy();
      metrics.closed();
      return;
    }
    countBytes(metrics, tunnel, upstream);
    await accountRelay(context, connection, metrics, relay(upstream, tunnel));
  }

  /** Steps 1 of the class comment: throws an InboundRefusedError for a CONNECT this listener does not serve. */
  #connectionFor(request: HboneInboundRequest): InboundConnection {
    const { state, network, nodeName, isOwnAddress } = this.#context;
    const local = canonicalIp(request.local.ip) ?? request.local.ip;
    const target = { destinationIp: canonicalIp(request.destination.ip) ?? request.destination.ip, port: request.destination.port };
    if (target.destinationIp !== local) throw new InboundDestinationError(describeTarget(target), `the tunnel arrived on ${local}, a CONNECT may only name that address`, 400);
    const destination = localWorkload(state.workloads, network, nodeName, local);
    if (destination === undefined) throw new InboundDestinationError(describeTarget(target), `no workload of node ${nodeName} has this address`, 503);
    if (isOwnAddress(local, target.port)) throw new InboundSelfCallError(describeTarget(target));
    return {
      path: 'hbone',
      identity: request.clientIdentity,
      sourceIp: canonicalIp(request.peer.ip) ?? request.peer.ip,
      destination,
      destinationIp: local,
      port: target.port,
      ...(this.#netns === undefined ? {} : { netns: this.#netns }),
      said: parseBaggage(request.baggage),
    };
  }

  #report(error: AmbitError): void {
    // A workload without a certificate is ztunnel's problem; failed handshakes are the peers'.
    if (error instanceof HboneCertificateError) this.#context.log.warn('HBONE inbound has no certificate to answer with', { address: this.#ip, error: errorText(error) });
    else this.#context.log.debug('HBONE inbound connection failed', { address: this.#ip, error: errorText(error) });
  }
}
