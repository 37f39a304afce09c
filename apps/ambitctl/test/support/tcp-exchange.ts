import { connect, type Socket } from 'node:net';
import { withTimeout } from '@ambit/test-support';

/** Largest answer a test reads. */
const MAX_BYTES = 64 * 1024;

/**
 * Sends `request` over a plain TCP connection to host:port (optionally through a SOCKS5
 * CONNECT to `via`, naming the destination by host name as `curl --socks5-hostname`
 * does) and resolves with everything the peer sends until it closes. The sending side is
 * closed after the request (a half-close), unless `halfClose` is false: an HTTP client
 * such as curl keeps it open and waits for the server to close (`Connection: close`).
 */
export async function exchange(target: { host: string; port: number }, request: string, via?: { host: string; port: number }, halfClose = true): Promise<string> {
  const socket = connect(via ?? target);
  try {
    return await withTimeout(
      (async () => {
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
        const reader = bytes(socket);
        if (via !== undefined) {
          socket.write(Buffer.from([5, 1, 0]));
          expectBytes(await reader.take(2), [5, 0], 'SOCKS5 method selection');
          const host = Buffer.from(target.host);
          socket.write(Buffer.concat([Buffer.from([5, 1, 0, 3, host.length]), host, Buffer.from([target.port >> 8, target.port & 255])]));
          const reply = await reader.take(4);
          if (reply[1] !== 0) throw new Error(`SOCKS5 CONNECT refused with reply ${reply[1]}`);
          await reader.take(reply[3] === 4 ? 18 : 6);
        }
        if (halfClose) socket.end(request);
        else socket.write(request);
        return (await reader.rest()).toString('utf8');
      })(),
      `an answer from ${target.host}:${target.port}`,
    );
  } finally {
    socket.destroy();
  }
}

function expectBytes(got: Buffer, want: number[], what: string): void {
  if (!got.equals(Buffer.from(want))) throw new Error(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify([...got])}`);
}

/** Reads a socket as exact-length pieces, then the rest until it ends. */
function bytes(socket: Socket): { take(n: number): Promise<Buffer>; rest(): Promise<Buffer> } {
  let buffered = Buffer.alloc(0);
  let ended = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    if (buffered.length + chunk.length > MAX_BYTES) socket.destroy(new Error(`more than ${MAX_BYTES} bytes`));
    else buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  });
  socket.on('close', () => {
    ended = true;
    wake?.();
  });
  const until = async (ready: () => boolean): Promise<void> => {
    while (!ready()) {
      if (ended) throw new Error('the connection closed early');
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  return {
    async take(n) {
      await until(() => buffered.length >= n);
      const piece = buffered.subarray(0, n);
      buffered = buffered.subarray(n);
      return piece;
    },
    async rest() {
      await until(() => ended);
      return buffered;
    },
  };
}
