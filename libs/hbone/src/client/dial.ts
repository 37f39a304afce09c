import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { connect as connectTls, type SecureContext, type TLSSocket } from 'node:tls';
import { peerCertificateChain, verifyPeerChain, type SpiffeId, type TrustBundle } from '@ambit/crypto';
import { HboneConnectError, HboneServerIdentityError, HboneTimeoutError, HboneTlsError } from '../errors.js';
import { http2Settings, sessionMemoryMiB, type Http2Tuning } from '../tuning.js';
import { formatAuthority, type IpPort } from '../wire/authority.js';

export interface DialOptions {
  readonly hboneAddress: IpPort;
  /** Bind to this local IP before connecting (the source workload's address). */
  readonly localAddress?: string;
  /** Opens the TCP connection instead of dialling it here (e.g. from inside a pod's network namespace); replaces `localAddress`. */
  readonly openSocket?: () => Promise<Socket>;
  readonly secureContext: SecureContext;
  readonly trustBundle: TrustBundle;
  readonly allowedIdentities: readonly SpiffeId[];
  readonly tuning: Http2Tuning;
  readonly maxHeaderListBytes: number;
  readonly timeoutMs: number;
}

export interface Dialled {
  readonly session: ClientHttp2Session;
  readonly serverIdentity: SpiffeId;
}

/**
 * One HBONE connection: TCP, TLS 1.3 with ALPN h2 presenting the source workload's
 * certificate, then the server's identity checked against what the destination may be
 * (mesh certificates name workloads, not hosts, so this replaces the hostname check),
 * then an HTTP/2 session with the tuned windows. Each failure has its own error.
 */
export async function dial(options: DialOptions): Promise<Dialled> {
  const address = formatAuthority(options.hboneAddress);
  let opened: Socket | undefined;
  if (options.openSocket !== undefined) {
    try {
      opened = await options.openSocket();
    } catch (cause) {
      throw new HboneConnectError(address, cause);
    }
  }
  const socket = connectTls({
    ...(opened === undefined
      ? { host: options.hboneAddress.ip, port: options.hboneAddress.port, ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) }
      : { socket: opened }),
    secureContext: options.secureContext,
    ALPNProtocols: ['h2'],
    // The chain is verified by the handshake (the context's roots); the name check is
    // the identity check below.
    checkServerIdentity: () => undefined,
  });
  let tcpConnected = opened !== undefined;
  if (opened !== undefined) opened.setNoDelay(true);
  else
    socket.once('connect', () => {
      tcpConnected = true;
      socket.setNoDelay(true);
    });
  try {
    await handshake(socket, options.timeoutMs, address, () => tcpConnected);
  } catch (error) {
    socket.destroy();
    throw error;
  }

  let serverIdentity: SpiffeId;
  try {
    if (socket.alpnProtocol !== 'h2') throw new HboneTlsError('client', address, new Error(`the server did not negotiate ALPN "h2" (got ${String(socket.alpnProtocol)})`));
    serverIdentity = verifyPeerChain(peerCertificateChain(socket), { trustBundle: options.trustBundle, allowedIdentities: options.allowedIdentities }).identity;
  } catch (cause) {
    socket.destroy();
    throw cause instanceof HboneTlsError ? cause : new HboneServerIdentityError(address, cause);
  }

  const session = connectHttp2(`https://${address}`, {
    createConnection: () => socket,
    settings: http2Settings(options.tuning, { maxHeaderListSize: options.maxHeaderListBytes }),
    maxSessionMemory: sessionMemoryMiB(options.tuning),
  });
  // The socket is connected, so the session is set up at once.
  session.setLocalWindowSize(options.tuning.connectionWindowBytes);
  return { session, serverIdentity };
}

function handshake(socket: TLSSocket, timeoutMs: number, address: string, tcpConnected: () => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new HboneTimeoutError(tcpConnected() ? 'handshake' : 'connect', address, timeoutMs));
    }, timeoutMs);
    const onSecure = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(tcpConnected() ? new HboneTlsError('client', address, error) : new HboneConnectError(address, error));
    };
    const onClose = (): void => onError(new Error('the connection closed during the handshake'));
    function cleanup(): void {
      clearTimeout(timer);
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.off('close', onClose);
    }
    socket.on('secureConnect', onSecure);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
