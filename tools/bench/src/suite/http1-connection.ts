import type { Socket } from 'node:net';
import { BenchStepError } from './errors.js';

const MAX_HEAD_BYTES = 16 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * A keep-alive HTTP/1.1 client connection that does what a load generator needs and no
 * more: one GET at a time, a response with a Content-Length read to its end and
 * discarded. Anything else (a status other than 200, chunked bodies, a head over 16 KiB,
 * `Connection: close`) fails the request, and the connection with it: the paths under
 * test all answer the same 1 KiB body.
 */
export class Http1Connection {
  readonly #socket: Socket;
  readonly #request: Buffer;
  #buffered: Buffer = Buffer.alloc(0);
  #pending: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #bodyLeft = -1;
  #broken: Error | undefined;

  constructor(socket: Socket, host: string) {
    this.#socket = socket;
    this.#request = Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ambit-bench\r\n\r\n`);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#fail(error));
    // The socket may allow half-open connections: the server's FIN ends this one.
    socket.on('end', () => {
      this.#fail(new BenchStepError('HTTP/1.1 client', 'the server closed the connection'));
      socket.destroy();
    });
    socket.on('close', () => this.#fail(new BenchStepError('HTTP/1.1 client', 'the connection closed')));
    socket.resume();
  }

  /** Sends one GET and resolves once the whole response has arrived. */
  get(): Promise<void> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    if (this.#pending !== undefined) return Promise.reject(new BenchStepError('HTTP/1.1 client', 'a request is already in flight on this connection'));
    const done = new Promise<void>((resolve, reject) => (this.#pending = { resolve, reject }));
    this.#socket.write(this.#request);
    return done;
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    try {
      this.#parse();
    } catch (error) {
      this.#fail(error as Error);
      this.#socket.destroy();
    }
  }

  #parse(): void {
    if (this.#bodyLeft < 0) {
      const end = this.#buffered.indexOf(HEAD_END);
      if (end < 0) {
        if (this.#buffered.length > MAX_HEAD_BYTES) throw new BenchStepError('HTTP/1.1 client', `response head over ${MAX_HEAD_BYTES} bytes`);
        return;
      }
      const head = this.#buffered.subarray(0, end).toString('latin1');
      this.#buffered = this.#buffered.subarray(end + HEAD_END.length);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      if (status !== '200') throw new BenchStepError('HTTP/1.1 client', `answered ${JSON.stringify(head.split('\r\n')[0])}, expected 200`);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      if (length === undefined) throw new BenchStepError('HTTP/1.1 client', 'a response without Content-Length (chunked bodies are not read)');
      if (/\r\nconnection:\s*close/i.test(head)) this.#broken = new BenchStepError('HTTP/1.1 client', 'the server closes this connection');
      this.#bodyLeft = Number(length);
    }
    const taken = Math.min(this.#bodyLeft, this.#buffered.length);
    this.#bodyLeft -= taken;
    this.#buffered = this.#buffered.subarray(taken);
    if (this.#bodyLeft > 0) return;
    this.#bodyLeft = -1;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve();
  }

  #fail(error: Error): void {
    this.#broken ??= error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}
