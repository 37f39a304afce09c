import { closeSync } from 'node:fs';
import type { Server } from 'node:net';
import type { ListenInNetnsOptions, SocketAddress } from './native.js';
import { listenInNetns } from './native.js';

/**
 * Makes `server` listen inside the network namespace at `netnsPath`: the ztunnel's
 * per-pod listeners (15001, 15006, 15008 in each captured pod). Resolves with the
 * bound address once listening. If Node refuses the descriptor, it is closed here, as
 * Node only owns it once it listens.
 */
export function listenServerInNetns(server: Server, netnsPath: string, options: ListenInNetnsOptions): Promise<SocketAddress> {
  const fd = listenInNetns(netnsPath, options);
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      closeSync(fd);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? { ip: address.address, port: address.port } : { ip: options.ip, port: options.port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ fd });
  });
}
