import { closeSync } from 'node:fs';
import { isIP, Socket } from 'node:net';
import { NetnsConnectError, NetnsOptionError } from './errors.js';
import type { SocketInNetnsOptions } from './native.js';
import { socketInNetns } from './native.js';

export interface ConnectInNetnsOptions extends Omit<SocketInNetnsOptions, 'family'> {
  /** The destination: an IP literal (names would be resolved outside the namespace). */
  readonly host: string;
  readonly port: number;
  /** How long the TCP handshake may take. */
  readonly timeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A TCP connection opened from inside the network namespace at `netnsPath`: the
 * ztunnel's outbound leg for a captured pod, with the pod's source address (or, with
 * transparent + bindIp, the original client's) and a mark that the pod's redirect
 * rules skip. The socket is created by the addon and connected by Node, so the
 * handshake does not block the event loop.
 */
export function connectInNetns(netnsPath: string, options: ConnectInNetnsOptions): Promise<Socket> {
  const family = isIP(options.host);
  if (family === 0) throw new NetnsOptionError('host', options.host, 'must be an IPv4 or IPv6 literal');
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535) throw new NetnsOptionError('port', options.port, 'must be an integer from 1 to 65535');
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new NetnsOptionError('timeoutMs', timeoutMs, 'must be a positive integer');
  const { host, port, timeoutMs: _timeout, ...socketOptions } = options;
  const fd = socketInNetns(netnsPath, { ...socketOptions, family: family as 4 | 6 });
  let socket: Socket;
  try {
    socket = new Socket({ fd, readable: true, writable: true });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const destination = family === 6 ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown): void => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.destroy();
      reject(new NetnsConnectError(destination, netnsPath, cause));
    };
    const onError = (error: Error): void => fail(error);
    const onConnect = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    };
    const timer = setTimeout(() => {
      socket.off('error', onError);
      fail(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', onError);
    socket.once('connect', onConnect);
    socket.connect({ host, port });
  });
}
