import type { Socket } from 'node:net';
import { originalDestination, socketFd } from '@ambit/netns';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import { TcpListener, type LocalAddress, type LocalListenerKind } from '../local-listeners/index.js';
import { outboundPeers, relay, type Connector, type DestinationResolver, type OutboundPlanner } from '../outbound/index.js';
import { canonicalIp, type StateView } from '../state/index.js';
import { countBytes, type TcpMetrics } from '../telemetry/index.js';
import { CaptureListenError } from './errors.js';

export interface TransparentOutboundOptions {
  readonly state: StateView;
  /** 15001; 0 picks one per listener (tests). */
  readonly port: number;
  readonly resolver: DestinationResolver;
  readonly planner: OutboundPlanner;
  readonly connector: Connector;
  readonly log: Logger;
  /** Istio's TCP metrics, reporter `source`. */
  readonly tcpMetrics: TcpMetrics;
}

/**
 * ztunnel's outbound listener under in-pod capture (`:15001` inside each captured pod):
 * the pod's rules redirect its outgoing TCP here, the kernel keeps where it was going
 * (SO_ORIGINAL_DST), and the connection takes the same path as a SOCKS5 one — plan
 * (service, workload or passthrough) → connector → relay — with the pod as source.
 * A connection that cannot be carried is reset, as a refused one would be.
 */
export function transparentOutbound(options: TransparentOutboundOptions): LocalListenerKind {
  return {
    name: 'outbound',
    create: (address) =>
      new TcpListener({
        // REDIRECT from OUTPUT lands on 127.0.0.1: listen on every address of the pod's own namespace.
        host: address.ip.includes(':') ? '::' : '0.0.0.0',
        port: options.port,
        ...(address.netns === undefined ? {} : { netns: address.netns }),
        serve: (socket, drain) => serve(options, address, socket, drain),
        listenError: (shown, cause) => new CaptureListenError(shown, cause),
      }),
  };
}

async function serve(options: TransparentOutboundOptions, address: LocalAddress, socket: Socket, drain: AbortSignal): Promise<void> {
  const { state, resolver, planner, connector, log, tcpMetrics } = options;
  const client = formatAddress({ host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 });
  let target: { ip: string; port: number };
  try {
    const original = originalDestination(socketFd(socket));
    target = { ip: canonicalIp(original.ip) ?? original.ip, port: original.port };
  } catch (error) {
    log.info('outbound connection refused', { client, error: `no original destination: ${errorText(error)}` });
    return void socket.resetAndDestroy();
  }
  // Not redirected (someone dialled 15001 itself): carrying it would loop.
  if (target.port === (socket.localPort ?? 0) && (target.ip === address.ip || target.ip.startsWith('127.'))) {
    log.info('outbound connection refused', { client, error: `${formatAddress({ host: target.ip, port: target.port })} is ztunnel's own outbound listener` });
    return void socket.resetAndDestroy();
  }
  const source = state.workloads.byUid(address.workloadUid);
  if (source === undefined) return void socket.resetAndDestroy();
  const destination = formatAddress({ host: target.ip, port: target.port });
  let metrics;
  let upstream;
  try {
    const resolved = await resolver.resolve(source, target.ip, target.port);
    const plan = planner.plan(source, resolved);
    // Counted once the destination is known, as ztunnel does; a failed connect closes it with flag CONNECT.
    metrics = tcpMetrics.open(outboundPeers(plan));
    upstream = await connector.connect(plan, drain);
  } catch (error) {
    metrics?.closed('CONNECT');
    log.info('outbound connect failed', { client, source: source.uid, destination, error: errorText(error) });
    return void socket.resetAndDestroy();
  }
  countBytes(metrics, socket, upstream);
  log.debug('outbound relaying', { client, source: source.uid, destination });
  await relay(socket, upstream, drain);
  metrics.closed();
}
