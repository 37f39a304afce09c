import { Duplex } from 'node:stream';

/**
 * The tunnel as node:http's server should see it: a plain JS duplex over it. node:http
 * takes over the native handle of a stream that has one (an HTTP/2 stream does) to parse
 * in C++, and on an HBONE stream that corrupts the first response bytes; over this
 * wrapper it parses in JS like for any duplex. Back-pressure and ends pass through both
 * ways, `setTimeout` (keep-alive, header timeouts) is the tunnel's, and destroying
 * either side destroys the other.
 */
export function tunnelSocket(tunnel: Duplex & { setTimeout?(ms: number, callback?: () => void): unknown }): Duplex {
  const socket = new Duplex({
    read() {
      tunnel.resume();
    },
    write(chunk: Buffer, encoding, callback) {
      tunnel.write(chunk, encoding, callback);
    },
    final(callback) {
      tunnel.end(callback);
    },
    destroy(error, callback) {
      if (!tunnel.destroyed) tunnel.destroy(error ?? undefined);
      callback(error);
    },
  });
  tunnel.on('data', (chunk: Buffer) => {
    if (!socket.push(chunk)) tunnel.pause();
  });
  tunnel.once('end', () => socket.push(null));
  tunnel.once('error', (error) => socket.destroy(error));
  tunnel.once('close', () => socket.destroy());
  Object.assign(socket, {
    setTimeout(ms: number, callback?: () => void) {
      tunnel.setTimeout?.(ms, () => socket.emit('timeout'));
      if (callback !== undefined) socket.once('timeout', callback);
      return socket;
    },
    setNoDelay: () => socket,
    setKeepAlive: () => socket,
  });
  return socket;
}
