import type { Duplex } from 'node:stream';

/** HTTP/2's connection preface: a client speaking HTTP/2 with prior knowledge starts with it. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Reads the first bytes of a connection until they tell HTTP/2's preface from anything
 * else, then puts them back. Resolves true for HTTP/2; rejects when the connection ends
 * or stays silent for `timeoutMs`.
 */
export function sniffHttp2(stream: Duplex, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const done = (): void => {
      clearTimeout(timer);
      stream.removeListener('readable', onReadable);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onError);
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while ((chunk = stream.read() as Buffer | null) !== null) {
        seen = Buffer.concat([seen, chunk]);
        const compared = Math.min(seen.length, HTTP2_PREFACE.length);
        const prefix = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
        if (!prefix || seen.length >= HTTP2_PREFACE.length) {
          done();
          stream.unshift(seen);
          return resolve(prefix);
        }
      }
    };
    const onEnd = (): void => {
      done();
      reject(new Error(`the connection ended after ${seen.length} bytes`));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no HTTP request within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onError);
  });
}
