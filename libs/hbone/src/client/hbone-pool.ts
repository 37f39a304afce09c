import { isIP, type Socket } from 'node:net';
import { constants, type ClientHttp2Stream, type OutgoingHttpHeaders } from 'node:http2';
import type { SpiffeId } from '@ambit/crypto';
import { HboneCertificateError, HboneOptionError, HbonePoolClosedError } from '../errors.js';
import { SecureContextCache, type MeshTrust, type WorkloadCertificate } from '../tls/credentials.js';
import { checkTuning, TUNED_HTTP2, type Http2Tuning } from '../tuning.js';
import { formatAuthority, isIpPort, type IpPort } from '../wire/authority.js';
import { BAGGAGE, FORWARDED, invalidHeaderValue, TRACEPARENT, type HboneRequestHeaders } from '../wire/headers.js';
import { dial } from './dial.js';
import { PooledConnection } from './pooled-connection.js';

export interface HbonePoolOptions {
  readonly trust: MeshTrust;
  /**
   * The certificate a source workload presents, asked for on every new connection (so
   * returning a new one rotates it; open connections keep theirs).
   */
  readonly clientCertificate: (sourceIdentity: SpiffeId) => WorkloadCertificate | Promise<WorkloadCertificate>;
  readonly tuning?: Http2Tuning;
  /** Streams per connection before another is opened; default 100, as ztunnel. */
  readonly maxStreamsPerConnection?: number;
  /** A connection without streams for this long is closed; default 5 minutes, as ztunnel. */
  readonly idleTimeoutMs?: number;
  /** TCP connect plus TLS handshake; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** From sending the CONNECT to its response; default 10 s. */
  readonly responseTimeoutMs?: number;
  /** Largest response header list accepted; default 16 KiB, as ztunnel. */
  readonly maxHeaderListBytes?: number;
  /**
   * Opens the TCP connection of a new HBONE connection itself, or returns undefined to
   * let the pool dial (from `sourceIp`). ztunnel's in-pod capture dials from inside the
   * source pod's network namespace, with a mark the pod's redirect rules skip.
   */
  readonly openSocket?: (dial: HboneSocketRequest) => Promise<Socket> | undefined;
}

/** What `HbonePoolOptions.openSocket` is asked to connect. */
export interface HboneSocketRequest {
  readonly hboneAddress: IpPort;
  readonly sourceIp: string | undefined;
  /** The pool's connect timeout: the TCP connection must be up within it. */
  readonly timeoutMs: number;
}

export interface HboneConnectRequest {
  readonly sourceIdentity: SpiffeId;
  /** The identities the destination may have (its workload's, or its waypoint's); the server must hold one. */
  readonly destinationIdentities: readonly SpiffeId[];
  /** The `:authority`: the destination workload (or service VIP, for a waypoint). */
  readonly destination: IpPort;
  /** Where the HBONE server listens: the destination's node ztunnel or waypoint, port 15008. */
  readonly hboneAddress: IpPort;
  /**
   * The local IP to send from: the source workload's own address where this host has
   * it (local mode: pod IPs are loopback addresses), so the destination sees the real
   * source IP — for `ipBlocks` policies and its telemetry — as it does under in-pod
   * capture. Part of the pool key, as the source IP is in ztunnel's.
   */
  readonly sourceIp?: string;
  readonly headers?: HboneRequestHeaders;
}

export interface HbonePoolStats {
  /** Connections whose TLS handshake completed, since start. */
  readonly handshakes: number;
  readonly openConnections: number;
  readonly openStreams: number;
}

const DEFAULTS = {
  maxStreamsPerConnection: 100,
  idleTimeoutMs: 5 * 60_000,
  connectTimeoutMs: 10_000,
  responseTimeoutMs: 10_000,
  maxHeaderListBytes: 16 * 1024,
};

/**
 * The HBONE client: tunnels multiplexed as HTTP/2 streams over connections shared by
 * every tunnel with the same source identity, destination identities and HBONE address
 * (ztunnel's pool key; the source identity is in it because the client certificate is).
 */
export class HbonePool {
  readonly #options: Required<Omit<HbonePoolOptions, 'openSocket'>> & Pick<HbonePoolOptions, 'openSocket'>;
  readonly #contexts = new SecureContextCache();
  readonly #connections = new Map<string, PooledConnection[]>();
  readonly #all = new Set<PooledConnection>();
  #handshakes = 0;
  #closed = false;

  constructor(options: HbonePoolOptions) {
    const merged = { ...DEFAULTS, tuning: TUNED_HTTP2, ...options };
    const tuningError = checkTuning(merged.tuning);
    if (tuningError !== undefined) throw new HboneOptionError('tuning', merged.tuning, tuningError);
    for (const name of ['maxStreamsPerConnection', 'idleTimeoutMs', 'connectTimeoutMs', 'responseTimeoutMs', 'maxHeaderListBytes'] as const) {
      const value = merged[name];
      if (!Number.isInteger(value) || value < 1) throw new HboneOptionError(name, value, 'must be a positive integer');
    }
    this.#options = merged;
  }

  /**
   * Opens a tunnel: reuses a pooled connection with a free stream slot or dials a new
   * one, sends the CONNECT and resolves with the stream once the server answered 200.
   * Rejects with an `AMBIT_ERR_HBONE_*` error saying what failed, or with `signal`'s
   * reason once it aborts (a tunnel that opens after that is closed at once).
   */
  async connect(request: HboneConnectRequest, signal?: AbortSignal): Promise<ClientHttp2Stream> {
    if (this.#closed) throw new HbonePoolClosedError();
    signal?.throwIfAborted();
    const headers = requestHeaders(request);
    const connection = this.#reserve(request);
    const opening = connection.open(headers, formatAuthority(request.destination), this.#options.responseTimeoutMs);
    return signal === undefined ? opening : abandonOnAbort(opening, signal);
  }

  stats(): HbonePoolStats {
    let openStreams = 0;
    for (const connection of this.#all) openStreams += connection.streams;
    return { handshakes: this.#handshakes, openConnections: this.#all.size, openStreams };
  }

  /**
   * Drains: no new tunnels; every connection sends GOAWAY and closes once its streams
   * end, and whatever is still open after `graceMs` is reset.
   */
  async close(graceMs = 5_000): Promise<void> {
    this.#closed = true;
    const connections = [...this.#all];
    for (const connection of connections) connection.drain();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        for (const connection of connections) connection.destroy();
        resolve();
      }, graceMs);
    });
    await Promise.race([Promise.all(connections.map((connection) => connection.closed())), deadline]);
    clearTimeout(timer);
  }

  #reserve(request: HboneConnectRequest): PooledConnection {
    const key = poolKey(request);
    const list = this.#connections.get(key) ?? [];
    for (const connection of list) if (connection.tryReserve()) return connection;
    const connection = new PooledConnection(this.#dial(request), {
      maxStreams: this.#options.maxStreamsPerConnection,
      idleTimeoutMs: this.#options.idleTimeoutMs,
      onRetired: (retired) => this.#forget(key, retired),
    });
    connection.tryReserve();
    list.push(connection);
    this.#connections.set(key, list);
    this.#all.add(connection);
    void connection.closed().then(() => this.#all.delete(connection));
    return connection;
  }

  async #dial(request: HboneConnectRequest): Promise<Awaited<ReturnType<typeof dial>>> {
    const what = `for ${request.sourceIdentity.toString()}`;
    let certificate: WorkloadCertificate;
    try {
      certificate = await this.#options.clientCertificate(request.sourceIdentity);
    } catch (cause) {
      throw new HboneCertificateError(what, cause);
    }
    const trust = this.#options.trust;
    const opened = this.#options.openSocket?.({ hboneAddress: request.hboneAddress, sourceIp: request.sourceIp, timeoutMs: this.#options.connectTimeoutMs });
    const dialled = await dial({
      hboneAddress: request.hboneAddress,
      ...(request.sourceIp === undefined ? {} : { localAddress: request.sourceIp }),
      ...(opened === undefined ? {} : { openSocket: () => opened }),
      secureContext: this.#contexts.get(certificate, trust, what),
      trustBundle: trust.bundle,
      allowedIdentities: request.destinationIdentities,
      tuning: this.#options.tuning,
      maxHeaderListBytes: this.#options.maxHeaderListBytes,
      timeoutMs: this.#options.connectTimeoutMs,
    });
    this.#handshakes++;
    return dialled;
  }

  #forget(key: string, connection: PooledConnection): void {
    const list = this.#connections.get(key);
    if (list === undefined) return;
    const rest = list.filter((candidate) => candidate !== connection);
    if (rest.length === 0) this.#connections.delete(key);
    else this.#connections.set(key, rest);
  }
}

function poolKey(request: HboneConnectRequest): string {
  const identities = request.destinationIdentities.map(String).sort().join(',');
  return `${request.sourceIdentity.toString()}|${request.sourceIp ?? ''}|${identities}|${formatAuthority(request.hboneAddress)}`;
}

function requestHeaders(request: HboneConnectRequest): OutgoingHttpHeaders {
  if (request.destinationIdentities.length === 0) throw new HboneOptionError('destinationIdentities', [], 'must name at least one identity the destination may have');
  if (!isIpPort(request.destination)) throw new HboneOptionError('destination', `${request.destination.ip}:${request.destination.port}`, 'must be an IP address and a port 1–65535');
  if (request.sourceIp !== undefined && isIP(request.sourceIp) === 0) throw new HboneOptionError('sourceIp', request.sourceIp, 'must be an IP address');
  if (!isIpPort(request.hboneAddress)) throw new HboneOptionError('hboneAddress', `${request.hboneAddress.ip}:${request.hboneAddress.port}`, 'must be an IP address and a port 1–65535');
  const extra = request.headers ?? {};
  const bad = invalidHeaderValue(extra);
  if (bad !== undefined) throw new HboneOptionError(`headers.${bad}`, (extra as Record<string, unknown>)[bad], 'must be a string without CR, LF or NUL');
  const headers: OutgoingHttpHeaders = {
    [constants.HTTP2_HEADER_METHOD]: 'CONNECT',
    [constants.HTTP2_HEADER_AUTHORITY]: formatAuthority(request.destination),
  };
  if (extra.forwarded !== undefined) headers[FORWARDED] = extra.forwarded;
  if (extra.traceparent !== undefined) headers[TRACEPARENT] = extra.traceparent;
  if (extra.baggage !== undefined) headers[BAGGAGE] = extra.baggage;
  return headers;
}

/** Settles with `opening`, or rejects with the signal's reason when it aborts first; a stream that opens later is destroyed. */
function abandonOnAbort(opening: Promise<ClientHttp2Stream>, signal: AbortSignal): Promise<ClientHttp2Stream> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason);
      void opening.then((late) => late.destroy(), () => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    opening.then(
      (stream) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) stream.destroy();
        else resolve(stream);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
