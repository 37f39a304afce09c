import type { Readable, Writable } from 'node:stream';

/**
 * The downstream request body, streamed to the current upstream attempt (and to
 * mirrors) and kept for retries up to a limit, like Envoy's retry buffer: once the
 * body outgrows it, what was kept is dropped and the request can no longer be retried.
 * The attempt's backpressure paces the client; mirrors never do (a mirror that falls
 * more than the limit behind is cut off).
 */
export class RequestBody {
  readonly #source: Readable;
  readonly #limit: number;
  #kept: Buffer[] = [];
  #keptBytes = 0;
  #received = 0;
  #replayable = true;
  #ended = false;
  #started = false;
  #primary: Writable | undefined;
  readonly #mirrors = new Set<Writable>();

  constructor(source: Readable, limitBytes: number) {
    this.#source = source;
    this.#limit = limitBytes;
  }

  /** Body bytes received from the client so far. */
  get received(): number {
    return this.#received;
  }

  /** Whether a new attempt could still be sent the whole body. */
  get replayable(): boolean {
    return this.#replayable;
  }

  /**
   * Makes `sink` the attempt that receives the body: what was kept is written first,
   * then the rest as it arrives, then end. Returns false (attaching nothing) when the
   * body is no longer replayable.
   */
  attach(sink: Writable): boolean {
    if (!this.#replayable && this.#received > 0) return false;
    this.#primary = sink;
    for (const chunk of this.#kept) sink.write(chunk);
    if (this.#ended) sink.end();
    else this.#start();
    return true;
  }

  /** The attempt is over: the client is paused until the next attempt attaches. */
  detach(sink: Writable): void {
    if (this.#primary !== sink) return;
    this.#primary = undefined;
    if (!this.#ended) this.#source.pause();
  }

  /** A mirror: gets the body from here on (attach it before the first attempt so that it sees all of it). */
  mirror(sink: Writable): void {
    for (const chunk of this.#kept) sink.write(chunk);
    if (this.#ended) sink.end();
    else {
      this.#mirrors.add(sink);
      sink.once('close', () => this.#mirrors.delete(sink));
      this.#start();
    }
  }

  #start(): void {
    if (this.#started) {
      if (this.#primary !== undefined) this.#source.resume();
      return;
    }
    this.#started = true;
    this.#source.on('data', (chunk: Buffer | string) => this.#data(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    this.#source.once('end', () => {
      this.#ended = true;
      this.#primary?.end();
      for (const mirror of this.#mirrors) mirror.end();
      this.#mirrors.clear();
    });
    this.#source.resume();
  }

  #data(chunk: Buffer): void {
    this.#received += chunk.length;
    if (this.#replayable) {
      this.#kept.push(chunk);
      this.#keptBytes += chunk.length;
      if (this.#keptBytes > this.#limit) {
        this.#replayable = false;
        this.#kept = [];
        this.#keptBytes = 0;
      }
    }
    for (const mirror of this.#mirrors) {
      if (mirror.writableLength > this.#limit) mirror.destroy();
      else mirror.write(chunk);
    }
    const primary = this.#primary;
    if (primary === undefined) {
      this.#source.pause();
      return;
    }
    if (!primary.write(chunk)) {
      this.#source.pause();
      primary.once('drain', () => {
        if (this.#primary === primary) this.#source.resume();
      });
    }
  }
}
