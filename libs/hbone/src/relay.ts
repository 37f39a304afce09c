import { constants, type Http2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { forward } from './forward.js';

export interface RelayResult {
  /** Bytes read from the socket and sent into the tunnel. */
  readonly sent: number;
  /** Bytes received from the tunnel and written to the socket. */
  readonly received: number;
  /** `closed`: both directions ended with FIN/END_STREAM; otherwise which side reset. */
  readonly outcome: 'closed' | 'socket-reset' | 'stream-reset';
}

/**
 * What each direction may queue in its writable before its source is paused: four TCP
 * reads' worth, enough that one turn's TLS records leave in one `writev` (see
 * `forward`), and bounded per tunnel.
 */
const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * Joins a TCP socket and an HBONE stream so that the tunnel behaves as the TCP
 * connection it carries (RFC 9113 §8.5): bytes both ways with backpressure (a slow side
 * stops the other through TCP and HTTP/2 flow control, nothing queues without bound),
 * FIN ↔ END_STREAM in each direction on its own (half-close), and a TCP reset or socket
 * error ↔ RST_STREAM(CONNECT_ERROR), a stream reset ↔ TCP RST. The socket must allow
 * half-open connections (set here), or Node would end it at the first FIN.
 */
export function relay(socket: Socket, stream: Http2Stream): Promise<RelayResult> {
  socket.allowHalfOpen = true;
  let sent = 0;
  let received = 0;
  forward(socket, stream, MAX_BUFFERED_BYTES, (bytes) => (sent += bytes));
  forward(stream, socket, MAX_BUFFERED_BYTES, (bytes) => (received += bytes));
  socket.on('end', () => {
    if (!stream.destroyed) stream.end();
  });
  // Only a real END_STREAM may become a FIN. Node's `close(code)` sends END_STREAM just
  // before the RST_STREAM; the two arrive in one read, so deciding one turn of the event
  // loop later sees the reset, if there is one, and the peer gets a RST instead of a
  // clean close.
  stream.on('end', () =>
    setImmediate(() => {
      if (!isReset(stream) && !socket.destroyed) socket.end();
    }),
  );

  return new Promise<RelayResult>((resolve) => {
    let outcome: RelayResult['outcome'] | undefined;
    let socketClosed = false;
    let streamClosed = false;
    const finish = (): void => {
      if (socketClosed && streamClosed) resolve({ sent, received, outcome: outcome ?? 'closed' });
    };
    socket.on('error', () => {
      outcome ??= 'socket-reset';
      if (!stream.destroyed) stream.close(constants.NGHTTP2_CONNECT_ERROR);
    });
    socket.on('close', () => {
      socketClosed = true;
      // A socket destroyed while the stream still runs is an abort, not an end.
      if (!stream.destroyed && !(stream.writableEnded && stream.readableEnded)) {
        outcome ??= 'socket-reset';
        stream.close(constants.NGHTTP2_CONNECT_ERROR);
      }
      finish();
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      streamClosed = true;
      if (!socket.destroyed && (isReset(stream) || !stream.readableEnded)) {
        outcome ??= 'stream-reset';
        socket.resetAndDestroy();
      }
      finish();
    });
  });
}

function isReset(stream: Http2Stream): boolean {
  return stream.rstCode !== undefined && stream.rstCode !== constants.NGHTTP2_NO_ERROR;
}
