import { HboneServer, type HboneInboundRequest, type HboneServerOptions, type MeshTrust, type WorkloadCertificate } from '@ambit/hbone';
import type { AmbitError } from '@ambit/errors';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import { canonicalIp, type MeshView, type ProxyFront, type RequestEngine } from '@ambit/l7-proxy';
import { InboundListenError, TunnelRefusedError } from './errors.js';
import { TunnelHttp, type TunnelHttpOptions } from './tunnel-http.js';
import { tunnelTarget, type TunnelTarget } from './tunnel-target.js';

/** HboneServer settings the inbound passes through (limits and timeouts; tests shorten them). */
export type HboneInboundTuning = Partial<Omit<HboneServerOptions, 'trust' | 'certificateFor' | 'handler' | 'onError'>>;

export interface HboneInboundOptions {
  readonly state: MeshView;
  readonly network: string;
  readonly trust: MeshTrust;
  /** The waypoint's own certificate (undefined while it has none: connections are then closed). */
  readonly certificate: () => WorkloadCertificate | undefined;
  readonly engine: RequestEngine;
  readonly log: Logger;
  readonly server?: HboneInboundTuning;
  readonly http?: Omit<TunnelHttpOptions, 'engine' | 'log'>;
}

export interface InboundStats {
  readonly accepted: number;
  readonly refused: number;
}

/**
 * The waypoint's only entry (:15008 on its pod IP): mutual TLS with the waypoint's own
 * certificate, then a CONNECT per client connection whose `:authority` is a service VIP
 * and port. The client's verified identity is the original client's (its ztunnel
 * presents the source workload's certificate); it is the request's source principal. A
 * known service port with a route table here is accepted (200) and HTTP is served on
 * the tunnel; anything else is refused with 404 before the tunnel opens.
 */
export class HboneInbound implements ProxyFront {
  readonly #options: HboneInboundOptions;
  readonly #server: HboneServer;
  readonly #http: TunnelHttp;
  #address: { host: string; port: number } | undefined;
  #accepted = 0;
  #refused = 0;

  constructor(options: HboneInboundOptions) {
    this.#options = options;
    this.#http = new TunnelHttp({ ...options.http, engine: options.engine, log: options.log });
    this.#server = new HboneServer({
      ...options.server,
      trust: options.trust,
      certificateFor: () => options.certificate(),
      handler: (request) => this.#serve(request),
      onError: (error) => this.#report(error),
    });
  }

  get address(): { readonly host: string; readonly port: number } | undefined {
    return this.#address;
  }

  stats(): InboundStats {
    return { accepted: this.#accepted, refused: this.#refused };
  }

  pending(): string | undefined {
    return this.#address === undefined ? 'not bound yet' : undefined;
  }

  dump(): { readonly inbound: InboundStats } {
    return { inbound: this.stats() };
  }

  async listen(host: string, port: number): Promise<void> {
    try {
      const bound = await this.#server.listen({ host, port });
      this.#address = { host, port: bound.port };
    } catch (error) {
      throw new InboundListenError(formatAddress({ host, port }), error);
    }
  }

  /** Stops accepting, lets requests finish until `deadline`, then cuts what is left. */
  async close(deadline: number): Promise<void> {
    this.#http.drain();
    const cut = setTimeout(() => this.#http.close(), Math.max(0, deadline - Date.now()));
    await this.#server.close(Math.max(0, deadline - Date.now()));
    clearTimeout(cut);
    this.#http.close();
  }

  #serve(request: HboneInboundRequest): void {
    const { state, network, log } = this.#options;
    let target: TunnelTarget;
    try {
      target = tunnelTarget(state, network, request.destination);
    } catch (error) {
      if (!(error instanceof TunnelRefusedError)) throw error;
      this.#refused++;
      log.info('HBONE tunnel refused', { peer: formatAddress({ host: request.peer.ip, port: request.peer.port }), principal: request.clientIdentity.toString(), error: error.message });
      return request.reject(error.status);
    }
    const tunnel = request.accept();
    if (tunnel.destroyed) return;
    this.#accepted++;
    const sourceIp = request.originalClientIp ?? request.peer.ip;
    this.#http.serve(tunnel, {
      routeTable: target.routeTable,
      peer: request.clientIdentity,
      destination: { ip: target.vip, port: target.port, service: target.service.key },
      sourceIp: canonicalIp(sourceIp) ?? sourceIp,
    });
  }

  #report(error: AmbitError): void {
    this.#options.log.debug('HBONE inbound connection failed', { error: errorText(error) });
  }
}
