import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { listenServerInNetns } from '@ambit/netns';
import { formatAddress } from '@ambit/telemetry';
import type { LocalListener } from './local-listener.js';

export interface TcpListenerOptions {
  readonly host: string;
  /** 0: any free port (tests). */
  readonly port: number;
  /** Listen inside this network namespace (in-pod capture). */
  readonly netns?: string;
  /**
   * Serves one accepted connection. `drain` aborts at the drain deadline, and the
   * socket is destroyed then whatever stage it is in. Errors thrown are the server's bug
   * and are not caught here.
   */
  readonly serve: (socket: Socket, drain: AbortSignal) => void | Promise<void>;
  /** The error `listen` rejects with when the address cannot be bound (the caller's own, with its hint). */
  readonly listenError: (address: string, cause: unknown) => Error;
}

/**
 * A plain TCP listener on one address with ztunnel's drain: closing stops accepting at
 * once, lets open connections finish until the deadline, then cuts them. The SOCKS5
 * entries and the plaintext inbound listeners are each one of these.
 */
export class TcpListener implements LocalListener {
  readonly #options: TcpListenerOptions;
  readonly #server: Server;
  readonly #drain = new AbortController();
  #address: { host: string; port: number } | undefined;

  constructor(options: TcpListenerOptions) {
    this.#options = options;
    // allowHalfOpen: a client's FIN ends one direction only; the relays end the other.
    this.#server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.#accept(socket));
  }

  get address(): { readonly host: string; readonly port: number } | undefined {
    return this.#address;
  }

  listen(): Promise<void> {
    const { host, port, netns } = this.#options;
    if (netns !== undefined) return this.#listenInNetns(netns);
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(this.#options.listenError(formatAddress({ host, port }), error));
      this.#server.once('error', onError);
      this.#server.listen({ host, port, exclusive: true }, () => {
        this.#server.off('error', onError);
        this.#address = { host, port: (this.#server.address() as AddressInfo).port };
        resolve();
      });
    });
  }

  async #listenInNetns(netns: string): Promise<void> {
    const { host, port } = this.#options;
    try {
      const bound = await listenServerInNetns(this.#server, netns, { ip: host, port });
      this.#address = { host, port: bound.port };
    } catch (error) {
      throw this.#options.listenError(`${formatAddress({ host, port })} in ${netns}`, error);
    }
  }

  /** Stops accepting; resolves once every connection has ended, cutting those still open at `deadline` (ms since epoch). */
  async close(deadline: number): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.#server.listening ? this.#server.close(() => resolve()) : resolve()));
    const timer = setTimeout(() => this.#drain.abort(new Error('drain deadline reached')), Math.max(0, deadline - Date.now()));
    await closed;
    clearTimeout(timer);
  }

  #accept(socket: Socket): void {
    const drain = this.#drain.signal;
    if (drain.aborted) return void socket.destroy();
    // Until it closes, the drain deadline reaches the connection, whatever stage it is in.
    const cut = (): void => void socket.destroy();
    drain.addEventListener('abort', cut, { once: true });
    socket.once('close', () => drain.removeEventListener('abort', cut));
    socket.on('error', () => undefined);
    void this.#options.serve(socket, drain);
  }
}
