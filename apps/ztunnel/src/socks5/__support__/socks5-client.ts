import { isIPv4, isIPv6, connect as tcpConnect, type Socket } from 'node:net';
import { ipBytes } from '../../state/__support__/resources.js';

/** What a SOCKS5 server answered to CONNECT; `socket` carries the relayed bytes when `reply` is 0. */
export interface Socks5Connection {
  readonly reply: number;
  readonly socket: Socket;
}

/**
 * A minimal SOCKS5 client (RFC 1928, no authentication, CONNECT), as curl --socks5-hostname
 * behaves: IPs are sent as IPv4/IPv6, names as domain names for the server to resolve.
 */
export async function socks5Connect(proxy: { host: string; port: number }, destination: { host: string; port: number }): Promise<Socks5Connection> {
  const socket = tcpConnect({ host: proxy.host, port: proxy.port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const reader = new ByteReader(socket);
  socket.write(Buffer.from([5, 1, 0]));
  const method = await reader.read(2);
  if (method[1] !== 0) throw new Error(`the server chose method ${method[1]}`);
  const address = isIPv4(destination.host)
    ? Buffer.concat([Buffer.from([1]), ipBytes(destination.host)])
    : isIPv6(destination.host)
      ? Buffer.concat([Buffer.from([4]), ipBytes(destination.host)])
      : Buffer.concat([Buffer.from([3, destination.host.length]), Buffer.from(destination.host)]);
  const port = Buffer.alloc(2);
  port.writeUInt16BE(destination.port);
  socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, port]));
  const head = await reader.read(4);
  const rest = head[3] === 4 ? 16 + 2 : head[3] === 3 ? (await reader.read(1))[0]! + 2 : 4 + 2;
  await reader.read(rest);
  reader.release();
  return { reply: head[1]!, socket };
}

/** Writes `bytes` to a fresh connection and collects everything the server sends until it closes. */
export async function rawExchange(proxy: { host: string; port: number }, bytes: readonly Buffer[], { endAfter = false } = {}): Promise<Buffer> {
  const socket = tcpConnect({ host: proxy.host, port: proxy.port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  for (const chunk of bytes) socket.write(chunk);
  if (endAfter) socket.end();
  await closed;
  return Buffer.concat(chunks);
}

/** Sends `text`, half-closes, and resolves with everything received until the other side closes. */
export async function exchange(socket: Socket, text: string): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => socket.once('end', resolve).once('error', reject));
  socket.resume();
  socket.end(text);
  await done;
  return Buffer.concat(chunks).toString();
}

class ByteReader {
  readonly #socket: Socket;
  #buffered = Buffer.alloc(0);
  #wake: (() => void) | undefined;
  #ended = false;
  readonly #onData = (chunk: Buffer): void => {
    this.#buffered = Buffer.concat([this.#buffered, chunk]);
    this.#wake?.();
  };
  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#wake?.();
  };

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', this.#onData).on('end', this.#onEnd).on('close', this.#onEnd);
  }

  async read(n: number): Promise<Buffer> {
    while (this.#buffered.length < n) {
      if (this.#ended) throw new Error(`the server closed after ${this.#buffered.length} of ${n} bytes`);
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    const out = this.#buffered.subarray(0, n);
    this.#buffered = this.#buffered.subarray(n);
    return out;
  }

  /** Hands the socket back; bytes already read past the reply are pushed back in front. */
  release(): void {
    this.#socket.off('data', this.#onData).off('end', this.#onEnd).off('close', this.#onEnd);
    this.#socket.pause();
    if (this.#buffered.length > 0) this.#socket.unshift(this.#buffered);
  }
}
