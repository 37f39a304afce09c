import type { Readable } from 'node:stream';
import type { TcpConnectionMetrics } from './tcp-metrics.js';

/**
 * Counts a relayed connection's bytes as they flow: what the client side yields is
 * received (request), what the destination side yields is sent (response). Attach in
 * the same tick as the relay pipes the streams (a `data` listener starts the flow). One
 * closure per connection, nothing per chunk.
 */
export function countBytes(metrics: TcpConnectionMetrics, client: Readable, destination: Readable): void {
  client.on('data', (chunk: Buffer) => metrics.received(chunk.length));
  destination.on('data', (chunk: Buffer) => metrics.sent(chunk.length));
}
