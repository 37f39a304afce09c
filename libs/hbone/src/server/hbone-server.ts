import { once } from 'node:events';
import { constants, createServer as createHttp2Server, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { AmbitError } from '@ambit/errors';
import { HboneCertificateError, HboneHandlerError, HboneOptionError, HboneServerListenError, HboneTimeoutError } from '../errors.js';
import type { MeshTrust, WorkloadCertificate } from '../tls/credentials.js';
import { checkTuning, http2Settings, sessionMemoryMiB, TUNED_HTTP2, type Http2Tuning } from '../tuning.js';
import { formatAuthority, parseAuthority, type IpPort } from '../wire/authority.js';
import { HboneInboundRequest, respondAndClose, type HboneInboundInfo } from './inbound-request.js';
import { TlsAcceptor, type AcceptedConnection } from './tls-acceptor.js';

export type HboneHandler = (request: HboneInboundRequest) => void | Promise<void>;

export interface HboneServerOptions {
  readonly trust: MeshTrust;
  /**
   * The certificate to answer with on a connection that arrived at `local`. ztunnel
   * picks it by destination address, as Istio's does: under transparent capture the
   * connection's local address is the destination workload's IP, and the client expects
   * that workload's identity. Called for every connection, so returning a new object
   * rotates the certificate for new connections. Undefined closes the connection.
   */
  readonly certificateFor: (local: IpPort) => WorkloadCertificate | undefined | Promise<WorkloadCertificate | undefined>;
  readonly handler: HboneHandler;
  readonly tuning?: Http2Tuning;
  /** Concurrent tunnels per connection (SETTINGS_MAX_CONCURRENT_STREAMS); default 200, as ztunnel. */
  readonly maxConcurrentStreams?: number;
  /** Open HBONE connections; more are refused at accept. Default 10,000. */
  readonly maxConnections?: number;
  /** Bytes of one request's header list (name + value + 32 each, as HTTP/2 counts); default 64 KiB, as ztunnel. */
  readonly maxHeaderListBytes?: number;
  /** Choosing a certificate and the TLS handshake; default 10 s. */
  readonly handshakeTimeoutMs?: number;
  /** A connection with no tunnel open for this long is closed (GOAWAY); default 10 minutes. */
  readonly idleTimeoutMs?: number;
  /** The handler must accept or reject within this time, or the client gets 504; default 10 s. */
  readonly decisionTimeoutMs?: number;
  /** Failures of single connections or requests; the server goes on. */
  readonly onError?: (error: AmbitError) => void;
}

export interface HboneServerStats {
  /** HBONE connections whose handshake completed, since start. */
  readonly handshakes: number;
  readonly openConnections: number;
  readonly openStreams: number;
}

interface SessionState {
  readonly info: Pick<HboneInboundInfo, 'clientIdentity' | 'peer' | 'local'>;
  streams: number;
  idleTimer: NodeJS.Timeout | undefined;
}

const DEFAULTS = {
  maxConcurrentStreams: 200,
  maxConnections: 10_000,
  maxHeaderListBytes: 64 * 1024,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 10 * 60_000,
  decisionTimeoutMs: 10_000,
};

/**
 * The HBONE listener (:15008): mutual TLS 1.3 with ALPN h2, then HTTP/2 on which each
 * CONNECT stream is one tunnelled TCP connection. TCP accept, certificate choice and
 * the handshake are ours (see `TlsAcceptor`); the verified socket is then handed to a
 * Node HTTP/2 server that never listens itself.
 */
export class HboneServer {
  readonly #options: Required<Omit<HboneServerOptions, 'onError'>> & Pick<HboneServerOptions, 'onError'>;
  readonly #net: NetServer;
  readonly #http2: Http2Server;
  readonly #tls: TlsAcceptor;
  readonly #sessions = new Map<ServerHttp2Session, SessionState>();
  /** The connection being handed to the HTTP/2 server, which announces its session synchronously. */
  #handingOver: AcceptedConnection | undefined;
  #handshakes = 0;
  #closing = false;

  constructor(options: HboneServerOptions) {
    const merged = { ...DEFAULTS, tuning: TUNED_HTTP2, ...options };
    checkOptions(merged);
    this.#options = merged;
    this.#tls = new TlsAcceptor({
      trust: options.trust,
      handshakeTimeoutMs: merged.handshakeTimeoutMs,
      onAccepted: (connection) => this.#accepted(connection),
      onError: (error) => this.#report(error),
    });
    this.#http2 = createHttp2Server({
      settings: http2Settings(merged.tuning, { maxConcurrentStreams: merged.maxConcurrentStreams, maxHeaderListSize: merged.maxHeaderListBytes }),
      maxSessionMemory: sessionMemoryMiB(merged.tuning),
      // A peer that keeps sending what the server refuses is not a mesh peer.
      maxSessionRejectedStreams: 100,
      maxSessionInvalidFrames: 100,
    });
    this.#http2.on('session', (session: ServerHttp2Session) => this.#session(session));
    this.#http2.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) =>
      this.#stream(stream, headers, rawHeaders),
    );
    this.#net = createNetServer({ noDelay: true }, (raw) => void this.#connection(raw));
    this.#net.maxConnections = merged.maxConnections;
  }

  /**
   * Binds (port 0 for any); resolves with the bound address. `bind`, when given, makes
   * the TCP server listen instead (e.g. on a socket made inside a pod's network
   * namespace) and resolves once it listens; `address` then only names it in errors.
   */
  async listen(address: { readonly host: string; readonly port: number }, bind?: (server: NetServer) => Promise<unknown>): Promise<IpPort> {
    try {
      if (bind === undefined) {
        this.#net.listen(address.port, address.host);
        await Promise.race([once(this.#net, 'listening'), once(this.#net, 'error').then(([error]) => Promise.reject(error as Error))]);
      } else await bind(this.#net);
    } catch (cause) {
      throw new HboneServerListenError(`${address.host}:${address.port}`, cause);
    }
    const bound = this.#net.address() as AddressInfo;
    return { ip: bound.address, port: bound.port };
  }

  stats(): HboneServerStats {
    let openStreams = 0;
    for (const state of this.#sessions.values()) openStreams += state.streams;
    return { handshakes: this.#handshakes, openConnections: this.#sessions.size, openStreams };
  }

  /**
   * Drains: stops accepting, sends GOAWAY on every connection so clients open new
   * tunnels elsewhere while open ones finish, and after `graceMs` resets what is left.
   */
  async close(graceMs = 5_000): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#net.close(() => resolve()));
    const sessions = [...this.#sessions.keys()];
    const drained = Promise.all(sessions.map((session) => new Promise<void>((resolve) => session.close(resolve))));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        for (const session of sessions) session.destroy();
        resolve();
      }, graceMs);
    });
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
    await closed;
  }

  async #connection(raw: Socket): Promise<void> {
    raw.on('error', () => raw.destroy());
    if (this.#closing) {
      raw.destroy();
      return;
    }
    const local = { ip: raw.localAddress ?? '', port: raw.localPort ?? 0 };
    const timeoutMs = this.#options.handshakeTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let certificate: WorkloadCertificate | undefined;
    try {
      certificate = await Promise.race([
        Promise.resolve(this.#options.certificateFor(local)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new HboneTimeoutError('handshake', formatAuthority(local), timeoutMs)), timeoutMs);
        }),
      ]);
    } catch (cause) {
      raw.destroy();
      this.#report(cause instanceof HboneTimeoutError ? cause : new HboneCertificateError(`for ${formatAuthority(local)}`, cause));
      return;
    } finally {
      clearTimeout(timer);
    }
    if (certificate === undefined) {
      raw.destroy();
      this.#report(new HboneCertificateError(`for ${formatAuthority(local)}`, 'no workload is served at this address'));
      return;
    }
    if (raw.destroyed) return;
    this.#tls.accept(raw, certificate);
  }

  #accepted(connection: AcceptedConnection): void {
    this.#handshakes++;
    this.#handingOver = connection;
    try {
      this.#http2.emit('connection', connection.socket);
    } finally {
      this.#handingOver = undefined;
    }
  }

  #session(session: ServerHttp2Session): void {
    const accepted = this.#handingOver;
    if (accepted === undefined) {
      session.destroy();
      return;
    }
    const socket = accepted.socket;
    const state: SessionState = {
      info: {
        clientIdentity: accepted.clientIdentity,
        peer: { ip: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
        local: { ip: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      },
      streams: 0,
      idleTimer: undefined,
    };
    this.#sessions.set(session, state);
    this.#startIdle(session, state);
    session.on('connect', () => session.setLocalWindowSize(this.#options.tuning.connectionWindowBytes));
    if (!session.connecting) session.setLocalWindowSize(this.#options.tuning.connectionWindowBytes);
    // Errors of one connection end that connection only; its streams see them.
    session.on('error', () => undefined);
    session.on('close', () => {
      clearTimeout(state.idleTimer);
      this.#sessions.delete(session);
    });
  }

  #startIdle(session: ServerHttp2Session, state: SessionState): void {
    clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(() => session.close(), this.#options.idleTimeoutMs);
    state.idleTimer.unref();
  }

  #stream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[]): void {
    // Never let a reset stream's error go unhandled; whoever holds the stream sees it too.
    stream.on('error', () => undefined);
    const session = stream.session as ServerHttp2Session | undefined;
    const state = session === undefined ? undefined : this.#sessions.get(session);
    if (session === undefined || state === undefined) {
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    state.streams++;
    clearTimeout(state.idleTimer);
    stream.on('close', () => {
      state.streams--;
      if (state.streams === 0 && !session.closed && !session.destroyed) this.#startIdle(session, state);
    });

    // Node applies SETTINGS_MAX_HEADER_LIST_SIZE only once the client has acknowledged
    // it, so a client's first requests are measured here as well.
    if (headerListBytes(rawHeaders) > this.#options.maxHeaderListBytes) {
      respondAndClose(stream, 431);
      return;
    }
    if (headers[constants.HTTP2_HEADER_METHOD] !== 'CONNECT') {
      respondAndClose(stream, 405, { allow: 'CONNECT' });
      return;
    }
    const authority = headers[constants.HTTP2_HEADER_AUTHORITY];
    const destination = typeof authority === 'string' ? parseAuthority(authority) : undefined;
    if (destination === undefined) {
      respondAndClose(stream, 400);
      return;
    }
    const request = new HboneInboundRequest(stream, headers, state.info, destination);
    this.#decide(request, stream);
  }

  #decide(request: HboneInboundRequest, stream: ServerHttp2Stream): void {
    const timeoutMs = this.#options.decisionTimeoutMs;
    const timer = setTimeout(() => {
      if (request.decided) return;
      request.reject(504);
      this.#report(new HboneTimeoutError('decision', formatAuthority(request.destination), timeoutMs));
    }, timeoutMs);
    stream.once('close', () => clearTimeout(timer));
    const failed = (cause: unknown): void => {
      clearTimeout(timer);
      if (!request.decided) request.reject(503);
      this.#report(new HboneHandlerError(formatAuthority(request.destination), cause));
    };
    try {
      const result = this.#options.handler(request);
      if (result instanceof Promise) {
        result.then(() => {
          if (request.decided) clearTimeout(timer);
        }, failed);
      } else if (request.decided) {
        clearTimeout(timer);
      }
    } catch (cause) {
      failed(cause);
    }
  }

  #report(error: AmbitError): void {
    this.#options.onError?.(error);
  }
}

/** Header list size as HTTP/2 counts it (RFC 9113 §6.5.2): name + value + 32 per field. */
function headerListBytes(rawHeaders: readonly string[]): number {
  let bytes = 0;
  for (const text of rawHeaders) bytes += Buffer.byteLength(text);
  return bytes + (rawHeaders.length / 2) * 32;
}

function checkOptions(options: Required<Omit<HboneServerOptions, 'onError'>>): void {
  const tuningError = checkTuning(options.tuning);
  if (tuningError !== undefined) throw new HboneOptionError('tuning', options.tuning, tuningError);
  for (const name of ['maxConcurrentStreams', 'maxConnections', 'maxHeaderListBytes', 'handshakeTimeoutMs', 'idleTimeoutMs', 'decisionTimeoutMs'] as const) {
    const value = options[name];
    if (!Number.isInteger(value) || value < 1) throw new HboneOptionError(name, value, 'must be a positive integer');
  }
  if (typeof options.certificateFor !== 'function') throw new HboneOptionError('certificateFor', options.certificateFor, 'must be a function');
  if (typeof options.handler !== 'function') throw new HboneOptionError('handler', options.handler, 'must be a function');
}
