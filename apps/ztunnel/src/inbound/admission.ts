import type { Socket } from 'node:net';
import type { SpiffeId } from '@ambit/crypto';
import { errorText } from '@ambit/telemetry';
import { dialTcp } from '../outbound/index.js';
import type { Workload } from '../state/index.js';
import type { DerivedSource, TcpConnectionMetrics } from '../telemetry/index.js';
import type { InboundContext } from './context.js';
import { inboundService } from './destination.js';
import { InboundDeniedError } from './errors.js';
import type { InboundPath } from './inbound-stats.js';

/** One inbound connection once its destination workload and port are known. */
export interface InboundConnection {
  readonly path: InboundPath;
  /** The peer's verified identity (HBONE); undefined for plaintext, which then has no principal. */
  readonly identity: SpiffeId | undefined;
  /** The TCP peer, canonical: what ztunnel authorizes `ipBlocks` against and looks the source workload up by. */
  readonly sourceIp: string;
  readonly destination: Workload;
  /** The destination workload's address this connection is for, canonical. */
  readonly destinationIp: string;
  readonly port: number;
  /** In-pod capture: the destination pod's network namespace, where the connection to the application is made from. */
  readonly netns?: string;
  /** What an HBONE source said of itself (`baggage`): labels metrics when the source is not known by address. */
  readonly said?: Omit<DerivedSource, 'identity'>;
}

export function describeTarget(connection: Pick<InboundConnection, 'destinationIp' | 'port'>): string {
  const ip = connection.destinationIp;
  return `${ip.includes(':') ? `[${ip}]` : ip}:${connection.port}`;
}

/**
 * Counts the connection as opened (ztunnel does once the destination is known, so that
 * denials are counted too) and applies L4 authorization. Denied: the metrics are closed
 * with `DENY` and the refusal is returned.
 */
export function admit(context: InboundContext, connection: InboundConnection): { readonly metrics: TcpConnectionMetrics; readonly denied: InboundDeniedError | undefined } {
  const { state, network } = context;
  const { identity, sourceIp, destination, destinationIp, port } = connection;
  const metrics = context.metrics.open({
    reporter: 'destination',
    securityPolicy: identity === undefined ? 'unknown' : 'mutual_tls',
    source: state.workloads.byAddress(network, sourceIp),
    derivedSource: { ...connection.said, identity: identity?.toString() },
    destination,
    destinationService: inboundService(destination, port, state.services),
  });
  const decision = context.authorizer.decide({ identity, sourceIp, destinationIp, destinationPort: port, destination });
  if (decision.allowed) return { metrics, denied: undefined };
  metrics.closed('DENY');
  context.stats.count(connection.path, 'denied');
  const denied = new InboundDeniedError(describeTarget(connection), decision.reason, decision.policy);
  context.log.info('inbound connection denied', { path: connection.path, source: sourceIp, principal: identity?.toString(), error: denied.message });
  return { metrics, denied };
}

/** Connects to the workload; on failure closes the metrics (`flags`: ztunnel marks HBONE's `CONNECT`, plaintext's not) and returns undefined. */
export async function connectWorkload(context: InboundContext, connection: InboundConnection, metrics: TcpConnectionMetrics, flags: 'CONNECT' | '-', signal: AbortSignal): Promise<Socket | undefined> {
  try {
    // In a pod's namespace the connection is bound to the client's own address (IP_TRANSPARENT): the application sees its real peer.
    const origin = connection.netns === undefined ? undefined : { netns: connection.netns, bindIp: connection.sourceIp };
    return await dialTcp({ ip: connection.destinationIp, port: connection.port }, context.connectTimeoutMs, signal, origin);
  } catch (error) {
    metrics.closed(flags);
    context.stats.count(connection.path, 'connectFailed');
    context.log.info('inbound connection failed', { path: connection.path, destination: describeTarget(connection), error: errorText(error) });
    return undefined;
  }
}

/** Accounts for a relay from start to end: open count, metrics close, a debug line with the bytes. */
export async function accountRelay(context: InboundContext, connection: InboundConnection, metrics: TcpConnectionMetrics, relaying: Promise<unknown>): Promise<void> {
  const { stats, log } = context;
  stats.count(connection.path, 'relayed');
  stats.opened(connection.path);
  try {
    await relaying;
  } finally {
    stats.closed(connection.path);
    metrics.closed();
    const { received, sent } = metrics.totals;
    log.debug('inbound connection complete', { path: connection.path, source: connection.sourceIp, destination: describeTarget(connection), received, sent });
  }
}

