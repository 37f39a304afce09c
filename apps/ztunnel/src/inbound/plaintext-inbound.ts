import type { Socket } from 'node:net';
import { originalDestination, socketFd } from '@ambit/netns';
import { errorText, formatAddress } from '@ambit/telemetry';
import { TcpListener, type LocalAddress, type LocalListener } from '../local-listeners/index.js';
import { relay } from '../outbound/index.js';
import { canonicalIp } from '../state/index.js';
import { countBytes } from '../telemetry/index.js';
import { accountRelay, admit, connectWorkload, describeTarget, type InboundConnection } from './admission.js';
import type { InboundContext } from './context.js';
import { localWorkload, servedPorts } from './destination.js';
import { InboundDestinationError, InboundListenError, InboundPortError, InboundSelfCallError } from './errors.js';

export interface PlaintextInboundOptions {
  /** The plaintext port on each workload address (15006; 0: one picked per listener, for tests). */
  readonly port: number;
}

/**
 * Plaintext inbound on one workload address (`<podIP>:15006`), as ztunnel's inbound
 * passthrough for clients outside the mesh. Under in-pod capture the pod's rules
 * redirect every incoming connection here and its original destination (the pod's own
 * ip:port) says where it goes. Without network namespaces there is no original
 * destination port, so the connection is for the workload's single served port (a
 * workload serving several is refused: reset, with a log line). The connection
 * has no peer identity, so L4 authorization runs without a principal: under STRICT the
 * control plane's static DENY of identity-less connections refuses it (TCP reset),
 * under PERMISSIVE it is relayed to the workload.
 */
export function plaintextInboundListener(context: InboundContext, options: PlaintextInboundOptions, address: LocalAddress): LocalListener {
  return new TcpListener({
    // Redirected connections arrive on whichever address the pod has; the namespace is the pod's alone.
    host: address.netns === undefined ? address.ip : wildcardOf(address.ip),
    port: options.port,
    ...(address.netns === undefined ? {} : { netns: address.netns }),
    serve: (socket, drain) => servePlaintext(context, socket, drain, address.netns),
    listenError: (shown, cause) => new InboundListenError('plaintext', shown, cause),
  });
}

/** The any-address of `ip`'s family: a listener inside a pod's own namespace takes what the redirect rules send it. */
export function wildcardOf(ip: string): string {
  return ip.includes(':') ? '::' : '0.0.0.0';
}

async function servePlaintext(context: InboundContext, socket: Socket, drain: AbortSignal, netns: string | undefined): Promise<void> {
  const connection = plaintextConnection(context, socket, netns);
  if (connection === undefined) return;
  const { metrics, denied } = admit(context, connection);
  if (denied !== undefined) return void socket.resetAndDestroy();
  const upstream = await connectWorkload(context, connection, metrics, '-', drain);
  if (upstream === undefined) return void socket.resetAndDestroy();
  if (socket.destroyed) {
    upstream.destroy();
    metrics.closed();
    return;
  }
  countBytes(metrics, socket, upstream);
  await accountRelay(context, connection, metrics, relay(socket, upstream, drain));
}

/** The connection's destination, or undefined after resetting a connection this listener cannot serve. */
function plaintextConnection(context: InboundContext, socket: Socket, netns: string | undefined): InboundConnection | undefined {
  const { state, network, nodeName, isOwnAddress, stats, log } = context;
  const sourceIp = canonicalIp(socket.remoteAddress ?? '') ?? '';
  let original: { ip: string; port: number } | undefined;
  if (netns !== undefined) {
    try {
      original = originalDestination(socketFd(socket));
    } catch (error) {
      stats.count('plaintext', 'refused');
      log.info('inbound connection refused', { path: 'plaintext', peer: formatAddress({ host: sourceIp, port: socket.remotePort ?? 0 }), error: `no original destination: ${errorText(error)}` });
      socket.resetAndDestroy();
      return undefined;
    }
  }
  const local = canonicalIp(original?.ip ?? socket.localAddress ?? '') ?? '';
  const refuse = (error: Error): undefined => {
    stats.count('plaintext', 'refused');
    log.info('inbound connection refused', { path: 'plaintext', peer: formatAddress({ host: sourceIp, port: socket.remotePort ?? 0 }), error: error.message });
    socket.resetAndDestroy();
    return undefined;
  };
  const destination = localWorkload(state.workloads, network, nodeName, local);
  if (destination === undefined) return refuse(new InboundDestinationError(local, `no workload of node ${nodeName} has this address`, 503));
  let port = original?.port;
  if (port === undefined) {
    const ports = servedPorts(destination, state.services);
    if (ports.length !== 1) return refuse(new InboundPortError(destination.uid, ports));
    port = ports[0]!;
  }
  if (isOwnAddress(local, port)) return refuse(new InboundSelfCallError(describeTarget({ destinationIp: local, port })));
  return { path: 'plaintext', identity: undefined, sourceIp, destination, destinationIp: local, port, ...(netns === undefined ? {} : { netns }) };
}
