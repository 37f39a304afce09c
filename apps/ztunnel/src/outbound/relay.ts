import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Bytes carried by one relayed connection. */
export interface RelayResult {
  /** From the client to the destination. */
  readonly sent: number;
  /** From the destination to the client. */
  readonly received: number;
}

/**
 * Copies bytes both ways until both directions have ended, keeping half-closes (a
 * client that shuts down its sending side still gets the answer). An error on either
 * side, or `abort`, destroys both. Resolves when both sides are closed; never rejects.
 */
export function relay(downstream: Socket, upstream: Duplex, abort: AbortSignal): Promise<RelayResult> {
  return new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    let open = 2;
    const countSent = (chunk: Buffer): void => {
      sent += chunk.length;
    };
    const countReceived = (chunk: Buffer): void => {
      received += chunk.length;
    };
    const destroyBoth = (): void => {
      downstream.destroy();
      upstream.destroy();
    };
    const onClose = (): void => {
      open -= 1;
      if (open > 0) return;
      abort.removeEventListener('abort', destroyBoth);
      resolve({ sent, received });
    };
    downstream.on('data', countSent);
    upstream.on('data', countReceived);
    downstream.once('error', destroyBoth).once('close', onClose);
    upstream.once('error', destroyBoth).once('close', onClose);
    abort.addEventListener('abort', destroyBoth, { once: true });
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    if (abort.aborted) destroyBoth();
  });
}
