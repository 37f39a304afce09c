import type { Socket } from 'node:net';
import { formatAddress } from '@ambit/telemetry';
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
 * passthrough for clients outside the mesh. Without network namespaces there is no
 * original destination port, so the connection is for the workload's single served
 * port (a workload serving several is refused: reset, with a log line). The connection
 * has no peer identity, so L4 authorization runs without a principal: under STRICT the
 * control plane's static DENY of identity-less connections refuses it (TCP reset),
 * under PERMISSIVE it is relayed to the workload.
 */
export function plaintextInboundListener(context: InboundContext, options: PlaintextInboundOptions, address: LocalAddress): LocalListener {
  return new TcpListener({
    host: address.ip,
    port: options.port,
    serve: (socket, drain) => servePlaintext(context, socket, drain),
    listenError: (shown, cause) => new InboundListenError('plaintext', shown, cause),
  });
}

async function servePlaintext(context: InboundContext, socket: Socket, drain: AbortSignal): Promise<void> {
  const connection = plaintextConnection(context, socket);
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
function plaintextConnection(context: InboundContext, socket: Socket): InboundConnection | undefined {
  const { state, network, nodeName, isOwnAddress, stats, log } = context;
  const local = canonicalIp(socket.localAddress ?? '') ?? '';
  const sourceIp = canonicalIp(socket.remoteAddress ?? '') ?? '';
  const refuse = (error: Error): undefined => {
    stats.count('plaintext', 'refused');
    log.info('inbound connection refused', { path: 'plaintext', peer: formatAddress({ host: sourceIp, port: socket.remotePort ?? 0 }), error: error.message });
    socket.resetAndDestroy();
    return undefined;
  };
  const destination = localWorkload(state.workloads, network, nodeName, local);
  if (destination === undefined) return refuse(new InboundDestinationError(local, `no workload of node ${nodeName} has this address`, 503));
  const ports = servedPorts(destination, state.services);
  if (ports.length !== 1) return refuse(new InboundPortError(destination.uid, ports));
  const port = ports[0]!;
  if (isOwnAddress(local, port)) return refuse(new InboundSelfCallError(describeTarget({ destinationIp: local, port })));
  return { path: 'plaintext', identity: undefined, sourceIp, destination, destinationIp: local, port };
}
