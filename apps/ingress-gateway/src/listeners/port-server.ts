import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type SecureContext, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { canonicalIp, HttpConnections, requestProtocol, type ProxyRequestContext, type RequestEngine } from '@ambit/l7-proxy';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import { l7V1 } from '@ambit/xds';
import { CredentialError, type CredentialStore } from '../credentials/index.js';
import { GatewayListenError } from './errors.js';
import { hostOf, serverFor, type PlannedServer, type PortPlan } from './port-plan.js';
import { secureContextOptions } from './tls-settings.js';

export interface PortServerOptions {
  readonly plan: PortPlan;
  readonly host: string;
  readonly port: number;
  /** The gateway's namespace: where credentials are looked up. */
  readonly namespace: string;
  readonly credentials: CredentialStore;
  readonly engine: RequestEngine;
  readonly log: Logger;
}

/** One accepted connection: the client's address, and the server its handshake chose (HTTPS). */
interface Connection {
  readonly sourceIp: string | undefined;
  readonly server: PlannedServer | undefined;
}

/** What the dump shows of a port. */
export interface PortStatus {
  readonly port: number;
  readonly address: string;
  readonly kind: PortPlan['kind'];
  readonly servers: readonly string[];
  /** Servers not served for now (a credential missing), with the reason. */
  readonly problems: readonly string[];
}

/**
 * One Gateway server port: plain HTTP (HTTP/1.1 or h2c with prior knowledge), or TLS
 * terminated with the credential of the server the client's SNI names (ALPN h2 or
 * http/1.1). Every request goes to the engine with its server's route table; a plain
 * server with `httpsRedirect` answers 301 to https instead. Credentials are re-read by
 * `refresh()`: new connections use the new ones.
 */
export class PortServer {
  readonly plan: PortPlan;
  readonly #options: PortServerOptions;
  readonly #connections: HttpConnections<Connection>;
  readonly #server: TcpServer | TlsServer;
  /** HTTPS: the secure context of each server whose credential is usable. */
  #contexts = new Map<PlannedServer, SecureContext>();
  #problems: string[] = [];
  #bound = false;

  constructor(options: PortServerOptions) {
    this.plan = options.plan;
    this.#options = options;
    this.#connections = new HttpConnections<Connection>({ handle: (req, res, connection) => this.#handle(req, res, connection), log: options.log });
    if (options.plan.kind === 'http') {
      this.#server = createTcpServer({ noDelay: true }, (socket) => this.#connections.serve(socket, { sourceIp: ipOf(socket), server: undefined }));
    } else {
      const mutual = options.plan.servers.map((server) => server.tls?.mode === l7V1.ServerTls_Mode.MUTUAL);
      this.#server = createTlsServer({
        ALPNProtocols: ['h2', 'http/1.1'],
        // Client certificates are asked for when a server of the port is MUTUAL; refused at the handshake when every one is.
        requestCert: mutual.some(Boolean),
        rejectUnauthorized: mutual.every(Boolean),
        SNICallback: (name, callback) => {
          const server = this.#serverForSni(name);
          const context = server === undefined ? undefined : this.#contexts.get(server);
          if (context === undefined) return callback(new Error(`no usable server for SNI ${JSON.stringify(name)}`));
          callback(null, context);
        },
      });
      this.#server.on('secureConnection', (socket: TLSSocket) => this.#accepted(socket));
      this.#server.on('tlsClientError', (error) => options.log.debug('TLS handshake failed', { port: options.port, error: errorText(error) }));
    }
  }

  /** Loads the credentials (HTTPS) and binds; throws CredentialError when no server of the port can terminate TLS, or GatewayListenError. */
  async listen(): Promise<void> {
    const { host, port } = this.#options;
    if (this.plan.kind === 'https') this.refresh();
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', (error) => reject(new GatewayListenError(formatAddress({ host, port }), error)));
      this.#server.listen({ host, port }, () => resolve());
    });
    this.#bound = true;
  }

  /** Reads every server's credential again; new handshakes use them. Throws CredentialError when none is usable (the old ones stay). */
  refresh(): void {
    if (this.plan.kind !== 'https') return;
    const { credentials, namespace, log } = this.#options;
    const contexts = new Map<PlannedServer, SecureContext>();
    const problems: string[] = [];
    let fallback: object | undefined;
    for (const server of this.plan.servers) {
      const tls = server.tls!;
      const mutual = tls.mode === l7V1.ServerTls_Mode.MUTUAL;
      try {
        const credential = credentials.get(namespace, tls.credentialNames[0]!, mutual);
        let options;
        try {
          options = secureContextOptions(tls, credential, mutual);
          contexts.set(server, createSecureContext(options));
        } catch (error) {
          throw new CredentialError(`${namespace}/${tls.credentialNames[0]}`, `cannot be used for TLS: ${errorText(error)}`, error);
        }
        fallback ??= options;
      } catch (error) {
        problems.push(`${server.name}: ${errorText(error)}`);
        log.error('Gateway server not served: its credential cannot be used', { server: server.name, port: this.#options.port, error: errorText(error) });
      }
    }
    if (fallback === undefined) throw new CredentialError(this.plan.servers.map((s) => `${namespace}/${s.tls!.credentialNames[0]}`).join(', '), `no server on port ${this.plan.port} has a usable credential (${problems.join('; ')})`);
    this.#contexts = contexts;
    this.#problems = problems;
    // Clients without SNI (an IP address in the URL) get the first usable server's certificate.
    (this.#server as TlsServer).setSecureContext(fallback);
  }

  status(): PortStatus {
    return { port: this.plan.port, address: formatAddress({ host: this.#options.host, port: this.#options.port }), kind: this.plan.kind, servers: this.plan.servers.map((s) => s.name), problems: this.#problems };
  }

  /** Stops accepting, lets requests finish until `deadline`, then cuts what is left. */
  async close(deadline: number): Promise<void> {
    this.#connections.drain();
    const cut = setTimeout(() => this.#connections.close(), Math.max(0, deadline - Date.now()));
    if (this.#bound) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    clearTimeout(cut);
    this.#connections.close();
  }

  #accepted(socket: TLSSocket): void {
    const server = this.#serverForSni(typeof socket.servername === 'string' ? socket.servername : undefined);
    if (server === undefined) return void socket.destroy();
    // On a port that mixes MUTUAL with SIMPLE servers, the handshake asked for a certificate without requiring one.
    if (server.tls?.mode === l7V1.ServerTls_Mode.MUTUAL && !socket.authorized) {
      this.#options.log.debug('client without a valid certificate refused', { server: server.name, error: String(socket.authorizationError) });
      return void socket.destroy();
    }
    this.#connections.serve(socket, { sourceIp: ipOf(socket), server }, socket.alpnProtocol === 'h2' ? 'h2' : 'http1');
  }

  /** The server of an SNI name among those with a usable credential; without SNI, the first of them. */
  #serverForSni(name: string | undefined): PlannedServer | undefined {
    const usable = this.plan.servers.filter((server) => this.#contexts.has(server));
    return name === undefined || name === '' ? usable[0] : serverFor(usable, name);
  }

  #handle(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, connection: Connection): void {
    const authority = (req.headers[':authority'] as string | undefined) ?? req.headers.host;
    const host = hostOf(authority);
    // HTTPS: the handshake chose the server; plain HTTP: the Host header does (the first server's table answers the rest with 404).
    const server = connection.server ?? serverFor(this.plan.servers, host) ?? this.plan.servers[0]!;
    if (connection.server === undefined && server.tls?.httpsRedirect === true) return redirectToHttps(req, res, host);
    const context: ProxyRequestContext = {
      routeTable: server.routeTable,
      source: connection.sourceIp === undefined ? {} : { ip: connection.sourceIp },
      scheme: this.plan.kind,
      protocol: requestProtocol(req.headers['content-type']),
    };
    this.#options.engine.handle(req, res, context);
  }
}

/** Envoy's `https_redirect`: 301 to the same host (its port dropped) and path over https. */
function redirectToHttps(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, host: string | undefined): void {
  req.resume();
  const headers = { location: `https://${host ?? ''}${req.url ?? '/'}`, server: 'istio-envoy', 'content-length': '0' };
  (res as ServerResponse).writeHead(301, headers).end();
}

function ipOf(socket: Socket): string | undefined {
  const ip = socket.remoteAddress;
  return ip === undefined ? undefined : (canonicalIp(ip) ?? ip);
}
