import { Counter, type Registry } from 'prom-client';
import { TCP_LABEL_NAMES, trafficLabels, type ResponseFlags, type TrafficLabels, type TrafficPeers } from './traffic-labels.js';

/** One connection's counters, from open to close. */
export interface TcpConnectionMetrics {
  readonly labels: TrafficLabels;
  /** Bytes from the client toward the destination (Istio's `istio_tcp_received_bytes_total`, "during request"). */
  received(bytes: number): void;
  /** Bytes from the destination back to the client (Istio's `istio_tcp_sent_bytes_total`, "during response"). */
  sent(bytes: number): void;
  /** Counts the close with its response flags (default `-`); later calls do nothing. */
  closed(flags?: ResponseFlags): void;
  /** What went through so far, for logs. */
  readonly totals: { readonly received: number; readonly sent: number };
}

interface Sink {
  readonly sentBytes: Counter<string>;
  readonly receivedBytes: Counter<string>;
  readonly closedConnections: Counter<string>;
  readonly live: Set<LiveConnection>;
}

/**
 * Istio's four TCP metrics (`istio_tcp_connections_opened_total`,
 * `istio_tcp_connections_closed_total`, `istio_tcp_sent_bytes_total`,
 * `istio_tcp_received_bytes_total`) with Istio's labels, shared by inbound
 * (reporter `destination`) and outbound (reporter `source`).
 *
 * Bytes are added to a connection's plain counters as they flow (no allocation per
 * chunk: prom-client hashes the label set on every `inc`), and moved into the Prometheus
 * counters when they are scraped and when the connection closes, so a long-lived
 * connection shows its bytes at every scrape.
 */
export class TcpMetrics {
  readonly #opened: Counter<string>;
  readonly #sink: Sink;

  constructor(registry: Registry) {
    const live = new Set<LiveConnection>();
    const flushLive = (): void => {
      for (const connection of live) connection.flush();
    };
    const counter = (name: string, help: string, collect?: () => void): Counter<string> =>
      new Counter({ name, help, labelNames: TCP_LABEL_NAMES, registers: [registry], ...(collect === undefined ? {} : { collect }) });
    this.#opened = counter('istio_tcp_connections_opened_total', 'The total number of TCP connections opened');
    this.#sink = {
      live,
      closedConnections: counter('istio_tcp_connections_closed_total', 'The total number of TCP connections closed'),
      sentBytes: counter('istio_tcp_sent_bytes_total', 'The size of total bytes sent during response in case of a TCP connection', flushLive),
      receivedBytes: counter('istio_tcp_received_bytes_total', 'The size of total bytes received during request in case of a TCP connection', flushLive),
    };
  }

  /** Counts a connection as opened (ztunnel counts it once the destination is known, before authorization) and returns its counters. */
  open(peers: TrafficPeers): TcpConnectionMetrics {
    const labels = trafficLabels(peers);
    this.#opened.inc(labels);
    // As in ztunnel, the byte series exist (at 0) from the open on.
    this.#sink.sentBytes.inc(labels, 0);
    this.#sink.receivedBytes.inc(labels, 0);
    const connection = new LiveConnection(labels, this.#sink);
    this.#sink.live.add(connection);
    return connection;
  }
}

class LiveConnection implements TcpConnectionMetrics {
  readonly labels: TrafficLabels;
  readonly #sink: Sink;
  #received = 0;
  #sent = 0;
  #flushedReceived = 0;
  #flushedSent = 0;
  #closed = false;

  constructor(labels: TrafficLabels, sink: Sink) {
    this.labels = labels;
    this.#sink = sink;
  }

  received(bytes: number): void {
    this.#received += bytes;
  }

  sent(bytes: number): void {
    this.#sent += bytes;
  }

  get totals(): { readonly received: number; readonly sent: number } {
    return { received: this.#received, sent: this.#sent };
  }

  closed(flags: ResponseFlags = '-'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.flush();
    this.#sink.live.delete(this);
    this.#sink.closedConnections.inc(flags === '-' ? this.labels : { ...this.labels, response_flags: flags });
  }

  /** Moves the bytes counted since the last flush into the Prometheus counters. */
  flush(): void {
    if (this.#received > this.#flushedReceived) this.#sink.receivedBytes.inc(this.labels, this.#received - this.#flushedReceived);
    if (this.#sent > this.#flushedSent) this.#sink.sentBytes.inc(this.labels, this.#sent - this.#flushedSent);
    this.#flushedReceived = this.#received;
    this.#flushedSent = this.#sent;
  }
}
