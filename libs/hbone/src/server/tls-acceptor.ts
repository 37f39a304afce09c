import type { Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { peerCertificateChain, verifyPeerChain, type SpiffeId } from '@ambit/crypto';
import type { AmbitError } from '@ambit/errors';
import { HboneCertificateError, HboneClientIdentityError, HboneTlsError } from '../errors.js';
import { tlsOptions, type MeshTrust, type WorkloadCertificate } from '../tls/credentials.js';

export interface AcceptedConnection {
  readonly socket: TLSSocket;
  readonly clientIdentity: SpiffeId;
}

export interface TlsAcceptorOptions {
  readonly trust: MeshTrust;
  readonly handshakeTimeoutMs: number;
  readonly onAccepted: (connection: AcceptedConnection) => void;
  readonly onError: (error: AmbitError) => void;
}

/**
 * The TLS half of the HBONE server. Node chooses a server's certificate before any hook
 * sees the connection's local address, so there is one (never listening) `tls.Server`
 * per certificate, and each accepted TCP connection is handed to the one for the
 * certificate its destination needs: ztunnel answers as the destination workload, and
 * one port serves every workload on the node. A rotated certificate is a new object and
 * gets a new `tls.Server`; connections already made on the old one are untouched.
 */
export class TlsAcceptor {
  readonly #options: TlsAcceptorOptions;
  readonly #servers = new WeakMap<WorkloadCertificate, { version: number; readonly server: TlsServer }>();

  constructor(options: TlsAcceptorOptions) {
    this.#options = options;
  }

  /** Runs the handshake on `raw` as `certificate`; the verified connection goes to `onAccepted`. */
  accept(raw: Socket, certificate: WorkloadCertificate): void {
    let server: TlsServer;
    try {
      server = this.#serverFor(certificate);
    } catch (cause) {
      raw.destroy();
      this.#options.onError(cause instanceof HboneCertificateError ? cause : new HboneCertificateError(`for ${raw.localAddress}`, cause));
      return;
    }
    server.emit('connection', raw);
  }

  #serverFor(certificate: WorkloadCertificate): TlsServer {
    const trust = this.#options.trust;
    const cached = this.#servers.get(certificate);
    if (cached !== undefined) {
      if (cached.version !== trust.version) {
        cached.server.setSecureContext(tlsOptions(certificate, trust));
        cached.version = trust.version;
      }
      return cached.server;
    }
    let server: TlsServer;
    try {
      server = createTlsServer({
        ...tlsOptions(certificate, trust),
        // The handshake itself fails for a client without a certificate or whose chain
        // does not verify against the roots; the identity is checked again below.
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
        handshakeTimeout: this.#options.handshakeTimeoutMs,
      });
    } catch (cause) {
      throw new HboneCertificateError('to serve HBONE with', cause);
    }
    server.on('secureConnection', (socket: TLSSocket) => this.#secured(socket));
    server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      this.#options.onError(new HboneTlsError('server', peerOf(socket), error));
    });
    this.#servers.set(certificate, { version: trust.version, server });
    return server;
  }

  #secured(socket: TLSSocket): void {
    if (socket.alpnProtocol !== 'h2') {
      socket.destroy();
      this.#options.onError(new HboneTlsError('server', peerOf(socket), new Error(`the client did not negotiate ALPN "h2" (got ${String(socket.alpnProtocol)})`)));
      return;
    }
    let clientIdentity: SpiffeId;
    try {
      clientIdentity = verifyPeerChain(peerCertificateChain(socket), { trustBundle: this.#options.trust.bundle }).identity;
    } catch (cause) {
      socket.destroy();
      this.#options.onError(new HboneClientIdentityError(peerOf(socket), cause));
      return;
    }
    this.#options.onAccepted({ socket, clientIdentity });
  }
}

function peerOf(socket: Socket): string {
  return `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`;
}
