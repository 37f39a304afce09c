import { constants, type ClientHttp2Session, type ClientHttp2Stream, type OutgoingHttpHeaders } from 'node:http2';
import { HboneRefusedError, HboneStreamError, HboneTimeoutError } from '../errors.js';
import type { Dialled } from './dial.js';

export interface PooledConnectionOptions {
  /** Streams this connection carries at once before the pool opens another. */
  readonly maxStreams: number;
  readonly idleTimeoutMs: number;
  /** Called once, when the connection must take no more streams (GOAWAY, error, close, idle). */
  readonly onRetired: (connection: PooledConnection) => void;
}

/**
 * One HBONE connection of the pool: counts the streams it carries (reserved before the
 * CONNECT is sent, so concurrent callers never overshoot the limit), closes itself
 * after `idleTimeoutMs` without streams, and leaves the pool on GOAWAY or any error
 * while the streams it still carries finish or fail on their own.
 */
export class PooledConnection {
  readonly #options: PooledConnectionOptions;
  readonly #ready: Promise<ClientHttp2Session>;
  #session: ClientHttp2Session | undefined;
  #maxStreams: number;
  #streams = 0;
  #retired = false;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(dialled: Promise<Dialled>, options: PooledConnectionOptions) {
    this.#options = options;
    this.#maxStreams = options.maxStreams;
    this.#ready = dialled.then(
      ({ session }) => this.#attach(session),
      (error: unknown) => {
        this.#retire();
        throw error;
      },
    );
    // Callers that reserved a stream see a failed dial; nobody else needs to.
    this.#ready.catch(() => undefined);
  }

  get retired(): boolean {
    return this.#retired;
  }

  get streams(): number {
    return this.#streams;
  }

  /** Takes a stream slot if the connection has one; `open` must follow. */
  tryReserve(): boolean {
    if (this.#retired || this.#streams >= this.#maxStreams) return false;
    this.#streams++;
    clearTimeout(this.#idleTimer);
    return true;
  }

  /**
   * Sends the CONNECT on a reserved slot and waits for the answer: the stream after a
   * 200, a typed error otherwise. The slot is released when the stream closes.
   */
  async open(headers: OutgoingHttpHeaders, destination: string, responseTimeoutMs: number): Promise<ClientHttp2Stream> {
    let session: ClientHttp2Session;
    try {
      session = await this.#ready;
    } catch (error) {
      this.#release();
      throw error;
    }
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(headers, { endStream: false });
    } catch (cause) {
      this.#release();
      this.#retire();
      throw new HboneStreamError(destination, 'the connection is closing', undefined, cause);
    }
    // A reset after the tunnel is open is reported to whoever holds the stream through
    // 'close' and `rstCode` (and to their own 'error' listener); without this one an
    // unheard reset would end the process.
    stream.on('error', () => undefined);
    stream.once('close', () => this.#release());
    const status = await responseStatus(stream, destination, responseTimeoutMs);
    if (status !== 200) {
      stream.close(constants.NGHTTP2_CANCEL);
      throw new HboneRefusedError(destination, status);
    }
    return stream;
  }

  /** Stops taking streams and sends GOAWAY; open streams finish first. */
  drain(): void {
    this.#retire();
    if (this.#session !== undefined && !this.#session.closed) this.#session.close();
    else void this.#ready.then((session) => session.close(), () => undefined);
  }

  /** Resets the connection and every stream on it. */
  destroy(): void {
    this.#retire();
    if (this.#session !== undefined) this.#session.destroy();
    else void this.#ready.then((session) => session.destroy(), () => undefined);
  }

  /** Resolves when the connection is fully closed (at once if it never opened). */
  async closed(): Promise<void> {
    let session: ClientHttp2Session;
    try {
      session = await this.#ready;
    } catch {
      return;
    }
    if (session.destroyed) return;
    await new Promise<void>((resolve) => session.once('close', resolve));
  }

  #attach(session: ClientHttp2Session): ClientHttp2Session {
    this.#session = session;
    session.on('remoteSettings', (settings) => {
      if (settings.maxConcurrentStreams !== undefined) this.#maxStreams = Math.min(this.#options.maxStreams, settings.maxConcurrentStreams);
    });
    session.on('goaway', () => this.#retire());
    session.on('error', () => this.#retire());
    session.on('close', () => {
      clearTimeout(this.#idleTimer);
      this.#retire();
    });
    if (this.#retired) session.close();
    else if (this.#streams === 0) this.#startIdle();
    return session;
  }

  #release(): void {
    this.#streams--;
    if (this.#streams === 0 && !this.#retired) this.#startIdle();
  }

  #startIdle(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.drain(), this.#options.idleTimeoutMs);
    this.#idleTimer.unref();
  }

  #retire(): void {
    if (this.#retired) return;
    this.#retired = true;
    clearTimeout(this.#idleTimer);
    this.#options.onRetired(this);
  }
}

function responseStatus(stream: ClientHttp2Stream, destination: string, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      stream.close(constants.NGHTTP2_CANCEL);
      reject(new HboneTimeoutError('response', destination, timeoutMs));
    }, timeoutMs);
    const onResponse = (headers: Record<string, unknown>): void => {
      cleanup();
      resolve(Number(headers[constants.HTTP2_HEADER_STATUS]));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new HboneStreamError(destination, error.message, stream.rstCode, error));
    };
    const onClose = (): void => {
      cleanup();
      reject(new HboneStreamError(destination, `reset with HTTP/2 code ${stream.rstCode ?? 'none'}`, stream.rstCode));
    };
    function cleanup(): void {
      clearTimeout(timer);
      stream.off('response', onResponse);
      stream.off('error', onError);
      stream.off('close', onClose);
    }
    stream.on('response', onResponse);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
