import type { Readable, Writable } from 'node:stream';

/**
 * One direction of a relay: every chunk `from` emits is written to `to`, with two
 * differences from `pipe`.
 *
 * Chunks after the first in one turn of the event loop are corked and leave together
 * as one `writev` at the end of the turn. An HBONE tunnel delivers a TLS record
 * (16 KiB) or less per chunk, often a few bytes split off at a frame boundary, and
 * writing each on its own costs a system call and a loopback segment apiece. The first
 * chunk is written at once, so a lone small message (a request, a reply) waits for
 * nothing.
 *
 * And `from` is paused only once `maxBufferedBytes` wait in `to` (resumed on 'drain'),
 * not at the writable's own mark (16 KiB for sockets and streams), so a batch is not
 * cut short; a limit below that mark counts as the mark. The end and errors
 * are the caller's.
 */
export function forward(from: Readable, to: Writable, maxBufferedBytes: number, onBytes: (bytes: number) => void): void {
  // 'drain' follows only a write() that returned false, i.e. at the writable's own mark.
  const limit = Math.max(maxBufferedBytes, to.writableHighWaterMark);
  let inTurn = false;
  let corked = false;
  let waiting = false;
  const endTurn = (): void => {
    inTurn = false;
    if (!corked) return;
    corked = false;
    to.uncork();
  };
  const resume = (): void => {
    waiting = false;
    from.resume();
  };
  from.on('data', (chunk: Buffer) => {
    onBytes(chunk.length);
    if (to.destroyed || to.writableEnded) return;
    if (!inTurn) {
      inTurn = true;
      setImmediate(endTurn);
    } else if (!corked) {
      corked = true;
      to.cork();
    }
    to.write(chunk);
    if (!waiting && to.writableLength >= limit) {
      waiting = true;
      from.pause();
      to.once('drain', resume);
    }
  });
  // As `pipe` does: a source its owner paused until the relay began flows now.
  from.resume();
}
