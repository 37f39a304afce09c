import { connect, type Socket } from 'node:net';
import type { Connector } from './connector.js';
import { ConnectError, HboneUnavailableError } from './errors.js';
import type { OutboundPlan, SocketTarget } from './plan.js';

export interface TcpConnectorOptions {
  /** How long a connection attempt may take (default 10 s, ztunnel's connect timeout). */
  readonly connectTimeoutMs?: number;
}

/**
 * Plain TCP to the plan's next hop: what passthrough traffic and workloads outside the
 * mesh (tunnel protocol NONE) get. A plan that needs HBONE is refused, never sent in
 * the clear.
 */
export class TcpConnector implements Connector {
  readonly #timeoutMs: number;

  constructor(options: TcpConnectorOptions = {}) {
    this.#timeoutMs = options.connectTimeoutMs ?? 10_000;
  }

  connect(plan: OutboundPlan, signal: AbortSignal): Promise<Socket> {
    if (plan.protocol !== 'TCP') return Promise.reject(new HboneUnavailableError(plan.hboneTarget ?? `${plan.nextHop.ip}:${plan.nextHop.port}`));
    return dialTcp(plan.nextHop, this.#timeoutMs, signal);
  }
}

/**
 * Opens a plain TCP connection (half-open allowed, no Nagle) within `timeoutMs`, or
 * rejects with ConnectError saying why (refused, unreachable, timed out, aborted). The
 * outbound path dials next hops with it, inbound dials the local workload.
 */
export function dialTcp(target: SocketTarget, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  const { ip, port } = target;
  const name = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
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
