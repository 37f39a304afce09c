import { connect, type Socket } from 'node:net';
import { connectInNetns } from '@ambit/netns';
import { CAPTURE } from '../capture/constants.js';
import type { Workload } from '../state/index.js';
import type { Connector } from './connector.js';
import { ConnectError, HboneUnavailableError } from './errors.js';
import type { OutboundPlan, SocketTarget } from './plan.js';

export interface TcpConnectorOptions {
  /** How long a connection attempt may take (default 10 s, ztunnel's connect timeout). */
  readonly connectTimeoutMs?: number;
  /** Where a source workload's connections leave from (in-pod capture: its network namespace); default here. */
  readonly origin?: (source: Workload) => DialOrigin | undefined;
}

/**
 * In-pod capture: a connection made from inside a pod's network namespace, marked so
 * the pod's redirect rules let it through. With `bindIp` it is bound to that (foreign)
 * address with IP_TRANSPARENT: inbound connections to the application carry the
 * original client's address, as in Istio.
 */
export interface DialOrigin {
  readonly netns: string;
  readonly bindIp?: string;
}

/**
 * Plain TCP to the plan's next hop: what passthrough traffic and workloads outside the
 * mesh (tunnel protocol NONE) get. A plan that needs HBONE is refused, never sent in
 * the clear.
 */
export class TcpConnector implements Connector {
  readonly #timeoutMs: number;
  readonly #origin: TcpConnectorOptions['origin'];

  constructor(options: TcpConnectorOptions = {}) {
    this.#timeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#origin = options.origin;
  }

  connect(plan: OutboundPlan, signal: AbortSignal): Promise<Socket> {
    if (plan.protocol !== 'TCP') return Promise.reject(new HboneUnavailableError(plan.hboneTarget ?? `${plan.nextHop.ip}:${plan.nextHop.port}`));
    return dialTcp(plan.nextHop, this.#timeoutMs, signal, this.#origin?.(plan.source));
  }
}

/**
 * Opens a plain TCP connection (half-open allowed, no Nagle) within `timeoutMs`, or
 * rejects with ConnectError saying why (refused, unreachable, timed out, aborted). The
 * outbound path dials next hops with it, inbound dials the local workload; `origin`
 * makes it from inside a pod's network namespace.
 */
export function dialTcp(target: SocketTarget, timeoutMs: number, signal: AbortSignal, origin?: DialOrigin): Promise<Socket> {
  const { ip, port } = target;
  const name = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
  if (origin !== undefined) return dialInNetns(name, target, timeoutMs, signal, origin);
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: ip, port, allowHalfOpen: true, noDelay: true });
    const fail = (cause: unknown): void => {
      cleanup();
      socket.destroy();
      reject(new ConnectError(name, cause));
    };
    const onError = (error: Error): void => fail(error);
    const onAbort = (): void => fail(signal.reason);
    const timer = setTimeout(() => fail(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      cleanup();
      resolve(socket);
    });
  });
}

async function dialInNetns(name: string, target: SocketTarget, timeoutMs: number, signal: AbortSignal, origin: DialOrigin): Promise<Socket> {
  signal.throwIfAborted();
  let socket: Socket;
  try {
    socket = await connectInNetns(origin.netns, {
      host: target.ip,
      port: target.port,
      mark: CAPTURE.proxyMark,
      timeoutMs,
      ...(origin.bindIp === undefined ? {} : { transparent: true, bindIp: origin.bindIp }),
    });
  } catch (error) {
    throw new ConnectError(name, (error as Error).cause ?? error);
  }
  if (signal.aborted) {
    socket.destroy();
    throw new ConnectError(name, signal.reason);
  }
  // The addon's descriptor becomes a Node socket without these options: set them as dialTcp's are.
  socket.allowHalfOpen = true;
  socket.setNoDelay(true);
  return socket;
}
