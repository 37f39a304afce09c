import { constants, type Http2Stream } from 'node:http2';
import type { Socket } from 'node:net';

export interface RelayResult {
  /** Bytes read from the socket and sent into the tunnel. */
  readonly sent: number;
  /** Bytes received from the tunnel and written to the socket. */
  readonly received: number;
  /** `closed`: both directions ended with FIN/END_STREAM; otherwise which side reset. */
  readonly outcome: 'closed' | 'socket-reset' | 'stream-reset';
}

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
  socket.on('data', (chunk: Buffer) => (sent += chunk.length));
  stream.on('data', (chunk: Buffer) => (received += chunk.length));
  socket.pipe(stream);
  // Only a real END_STREAM may become a FIN. Node's `close(code)` sends END_STREAM just
  // before the RST_STREAM; the two arrive in one read, so deciding one turn of the event
  // loop later sees the reset, if there is one, and the peer gets a RST instead of a
  // clean close.
  stream.pipe(socket, { end: false });
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
