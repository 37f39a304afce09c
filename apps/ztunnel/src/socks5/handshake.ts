import type { Socket } from 'node:net';
import { Socks5HandshakeError } from './errors.js';
import { encodeReply, METHOD_NO_AUTH, METHOD_NONE_ACCEPTABLE, methodSelection, parseGreeting, parseRequest, type ConnectRequest, type Parsed } from './protocol.js';

/** What a completed handshake yields: the CONNECT request, and any bytes the client sent after it (optimistic data). */
export interface Handshake {
  readonly request: ConnectRequest;
  readonly early: Buffer;
}

/**
 * Runs the server side of the SOCKS5 handshake on a fresh socket, up to and excluding
 * the reply to CONNECT (which waits for the upstream connection). The whole handshake
 * must finish within `timeoutMs`. On a bad handshake the right reply is written, the
 * socket ended, and Socks5HandshakeError thrown. The socket is left paused.
 */
export async function readHandshake(socket: Socket, timeoutMs: number): Promise<Handshake> {
  const reader = new MessageReader(socket, timeoutMs);
  try {
    const greeting = await reader.next(parseGreeting);
    if (!greeting.methods.includes(METHOD_NO_AUTH)) {
      endWith(socket, methodSelection(METHOD_NONE_ACCEPTABLE));
      throw new Socks5HandshakeError(`no acceptable method (offered ${greeting.methods.join(', ')}; only 0, no authentication, is served)`, undefined);
    }
    socket.write(methodSelection(METHOD_NO_AUTH));
    const request = await reader.next(parseRequest);
    return { request, early: reader.rest() };
  } catch (error) {
    // A refusal that answered ends the socket once the answer is written; anything else ends it now.
    if (!socket.writableEnded) socket.destroy();
    throw error;
  } finally {
    reader.stop();
  }
}

/**
 * Sends a last message and closes. The socket allows half-open connections (for
 * relaying), so ending our side alone would wait for the client's; it is destroyed once
 * the bytes are written.
 */
export function endWith(socket: Socket, bytes: Buffer): void {
  socket.end(bytes, () => socket.destroy());
}

/** Collects bytes until a parser accepts or refuses them, with one deadline for the whole handshake. */
class MessageReader {
  readonly #socket: Socket;
  #buffered: Buffer = Buffer.alloc(0);
  #wake: (() => void) | undefined;
  #failure: Socks5HandshakeError | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #onData = (chunk: Buffer): void => {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    this.#wake?.();
  };
  readonly #onEnd = (): void => this.#fail(new Socks5HandshakeError('the client closed the connection before the handshake finished', undefined));

  constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timer = setTimeout(() => this.#fail(new Socks5HandshakeError(`the handshake did not finish within ${timeoutMs} ms`, undefined)), timeoutMs);
    socket.on('data', this.#onData).once('end', this.#onEnd).once('close', this.#onEnd);
  }

  async next<T>(parse: (bytes: Buffer) => Parsed<T>): Promise<T> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      const parsed = parse(this.#buffered);
      if (parsed.status === 'done') {
        this.#buffered = this.#buffered.subarray(parsed.length);
        return parsed.value;
      }
      if (parsed.status === 'invalid') {
        if (parsed.reply !== undefined) endWith(this.#socket, encodeReply(parsed.reply));
        throw new Socks5HandshakeError(parsed.reason, parsed.reply);
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  rest(): Buffer {
    return this.#buffered;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#socket.pause();
    this.#socket.off('data', this.#onData).off('end', this.#onEnd).off('close', this.#onEnd);
  }

  #fail(error: Socks5HandshakeError): void {
    this.#failure ??= error;
    this.#wake?.();
  }
}
