import type { Duplex } from 'node:stream';
import { SpiffeId } from '@ambit/crypto';
import { forwardedFor, HboneConnectError, HboneRefusedError, HboneTimeoutError, parseAuthority, type HbonePool } from '@ambit/hbone';
import type { Workload } from '../state/index.js';
import type { Connector } from './connector.js';
import { HboneTunnelError } from './errors.js';
import type { OutboundPlan } from './plan.js';
import { TcpConnector } from './tcp-connector.js';

/**
 * Carries a plan over HBONE when it asks for it, and over plain TCP otherwise
 * (passthrough, workloads outside the mesh): the source workload's certificate, a
 * pooled mutual-TLS connection to the next hop's port 15008, and an HTTP/2 CONNECT to
 * `plan.hboneTarget`. The pool checks that the server holds one of the identities the
 * plan allows, so a connection is never handed to an impostor.
 */
export class HboneConnector implements Connector {
  readonly #pool: HbonePool;
  readonly #tcp: Connector;

  constructor(pool: HbonePool, tcp: Connector = new TcpConnector()) {
    this.#pool = pool;
    this.#tcp = tcp;
  }

  async connect(plan: OutboundPlan, signal: AbortSignal): Promise<Duplex> {
    if (plan.protocol === 'TCP') return this.#tcp.connect(plan, signal);
    const target = plan.hboneTarget ?? '';
    const destination = parseAuthority(target);
    if (destination === undefined) throw new HboneTunnelError(target, 'unsupported', new Error('the CONNECT target is not an ip:port (a waypoint addressed by hostname is not supported yet)'));
    signal.throwIfAborted();
    const request = {
      sourceIdentity: SpiffeId.parse(plan.source.identity),
      destinationIdentities: plan.upstreamIdentities.map((identity) => SpiffeId.parse(identity)),
      destination,
      hboneAddress: plan.nextHop,
      headers: sourceHeaders(plan.source),
      // Sent from the source workload's own address, as from inside its pod: the far end sees the real source IP.
      ...sourceIpFor(plan),
    };
    try {
      return await this.#pool.connect(request, signal);
    } catch (error) {
      throw new HboneTunnelError(target, failureOf(error), error);
    }
  }
}

/**
 * Who the connection comes from, as ztunnel tells the destination: `forwarded` with the
 * source's address, and W3C baggage naming the workload for the far side's telemetry.
 */
function sourceHeaders(source: Workload): { forwarded?: string; baggage: string } {
  const ip = source.workloadIps[0];
  const baggage = (
    [
      ['k8s.cluster.name', source.clusterId],
      ['k8s.namespace.name', source.namespace],
      [`k8s.${source.workloadType}.name`, source.workloadName],
      ['service.name', source.canonicalName],
      ['service.version', source.canonicalRevision],
    ] as const
  )
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  return ip === undefined ? { baggage } : { forwarded: forwardedFor(ip), baggage };
}

/** The source workload's address of the next hop's family, when it has one. */
function sourceIpFor(plan: OutboundPlan): { sourceIp?: string } {
  const v6 = plan.nextHop.ip.includes(':');
  const ip = plan.source.workloadIps.find((candidate) => candidate.includes(':') === v6);
  return ip === undefined ? {} : { sourceIp: ip };
}

function failureOf(error: unknown): 'refused' | 'unreachable' | 'failed' {
  if (error instanceof HboneRefusedError) return 'refused';
  if (error instanceof HboneTimeoutError) return 'unreachable';
  if (error instanceof HboneConnectError) return (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED' ? 'refused' : 'unreachable';
  return 'failed';
}
