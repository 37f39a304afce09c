import type { Socket } from 'node:net';

/**
 * The benchmarks' TCP server protocol: the first byte of a connection says what the
 * server does with the rest. `BULK` discards it and answers one byte once the client
 * has ended its side; `ECHO` sends every byte back.
 */
export const BULK = 0x42;
export const ECHO = 0x45;

/** Serves one accepted connection by the protocol above. */
export function serveBenchConnection(socket: Socket): void {
  socket.on('error', () => undefined);
  socket.once('data', (first: Buffer) => {
    if (first[0] === ECHO) {
      if (first.length > 1) socket.write(first.subarray(1));
      socket.pipe(socket);
      return;
    }
    socket.on('data', () => undefined);
    socket.on('end', () => socket.end('!'));
  });
}
