import { isIPv4 } from 'node:net';
import type { Socket } from 'node:net';
import { connectTo, type Endpoint } from '../l4-client.js';
import { BenchInputError, Socks5ClientError } from './errors.js';

/** Where the SOCKS5 proxy should connect: an IPv4 address or a name it resolves (`socks5h`). */
export interface Socks5Destination {
  readonly host: string;
  readonly port: number;
}

const VERSION = 0x05;
const NO_AUTHENTICATION = 0x00;
const CONNECT = 0x01;
const ATYP_IPV4 = 0x01;
const ATYP_DOMAIN = 0x03;
const ATYP_IPV6 = 0x04;
/** RFC 1928 §6 reply codes, for messages. */
const REPLIES: Readonly<Record<number, string>> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/**
 * Opens a TCP connection to `proxy`, asks it (RFC 1928, no authentication) to CONNECT to
 * `destination`, and resolves with the socket once the proxy has answered success: from
 * then on, the socket carries the application's bytes. Everything the handshake waits
 * for is bounded by `timeoutMs`. The socket comes back paused (bytes that followed the
 * reply are kept in it); `l4-client.ts`'s readers resume it.
 */
export async function socks5Connect(proxy: Endpoint, destination: Socks5Destination, timeoutMs = 10_000): Promise<Socket> {
  const request = connectRequest(destination);
  const name = `${proxy.ip}:${proxy.port}`;
  const socket = await connectTo(proxy);
  const timer = setTimeout(() => socket.destroy(new Socks5ClientError(name, `no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const reader = new HandshakeReader(socket, name);
    socket.write(Buffer.of(VERSION, 1, NO_AUTHENTICATION));
    const [version, method] = await reader.take(2);
    if (version !== VERSION) throw new Socks5ClientError(name, `answered version ${version}, not SOCKS5`);
    if (method !== NO_AUTHENTICATION) throw new Socks5ClientError(name, `accepts no method without authentication (chose 0x${method!.toString(16)})`);
    socket.write(request);
    const [, reply, , atyp] = await reader.take(4);
    if (reply !== 0) throw new Socks5ClientError(name, `refused CONNECT to ${destination.host}:${destination.port}: ${REPLIES[reply!] ?? `reply ${reply}`}`, reply);
    const addressLength = atyp === ATYP_IPV4 ? 4 : atyp === ATYP_IPV6 ? 16 : atyp === ATYP_DOMAIN ? (await reader.take(1))[0]! : undefined;
    if (addressLength === undefined) throw new Socks5ClientError(name, `answered with unknown address type ${atyp}`);
    await reader.take(addressLength + 2);
    reader.release();
    return socket;
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function connectRequest({ host, port }: Socks5Destination): Buffer {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BenchInputError('destination.port', port, 'an integer from 1 to 65535');
  const portBytes = Buffer.of(port >> 8, port & 0xff);
  if (isIPv4(host)) return Buffer.concat([Buffer.of(VERSION, CONNECT, 0, ATYP_IPV4, ...host.split('.').map(Number)), portBytes]);
  const name = Buffer.from(host, 'utf8');
  if (name.length === 0 || name.length > 255) throw new BenchInputError('destination.host', host, 'an IPv4 address or a name of 1 to 255 bytes');
  return Buffer.concat([Buffer.of(VERSION, CONNECT, 0, ATYP_DOMAIN, name.length), name, portBytes]);
}

/** Reads exact byte counts off a socket during the handshake; bytes after it stay for the application (unshifted). */
class HandshakeReader {
  readonly #socket: Socket;
  readonly #name: string;
  #buffered: Buffer = Buffer.alloc(0);
  #want: { bytes: number; resolve: (bytes: Buffer) => void; reject: (error: Error) => void } | undefined;
  readonly #onData = (chunk: Buffer): void => {
    this.#buffered = Buffer.concat([this.#buffered, chunk]);
    this.#serve();
  };
  readonly #onEnd = (): void => this.#fail(new Socks5ClientError(this.#name, 'closed the connection during the handshake'));
  readonly #onError = (error: Error): void => this.#fail(error instanceof Socks5ClientError ? error : new Socks5ClientError(this.#name, `connection failed during the handshake: ${error.message}`));
  #failure: Error | undefined;

  constructor(socket: Socket, name: string) {
    this.#socket = socket;
    this.#name = name;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onError);
  }

  take(bytes: number): Promise<Buffer> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const taken = new Promise<Buffer>((resolve, reject) => (this.#want = { bytes, resolve, reject }));
    this.#serve();
    return taken;
  }

  /** Stops reading; anything that arrived after the handshake is given back to the socket. */
  release(): void {
    this.#socket.off('data', this.#onData);
    this.#socket.off('end', this.#onEnd);
    this.#socket.off('close', this.#onEnd);
    this.#socket.off('error', this.#onError);
    this.#socket.pause();
    if (this.#buffered.length > 0) this.#socket.unshift(this.#buffered);
  }

  #serve(): void {
    const want = this.#want;
    if (want === undefined || this.#buffered.length < want.bytes) return;
    this.#want = undefined;
    const bytes = this.#buffered.subarray(0, want.bytes);
    this.#buffered = this.#buffered.subarray(want.bytes);
    want.resolve(bytes);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const want = this.#want;
    this.#want = undefined;
    want?.reject(this.#failure);
  }
}
