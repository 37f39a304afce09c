import { PassThrough } from 'node:stream';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { countBytes } from './count-bytes.js';
import { TcpMetrics } from './tcp-metrics.js';

async function values(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)!.get()).values.map(({ labels, value }) => ({ flags: labels.response_flags, reporter: labels.reporter, value }));
}

describe('TcpMetrics', () => {
  it('registers Istio’s four TCP metrics', async () => {
    const registry = new Registry();
    new TcpMetrics(registry);
    const text = await registry.metrics();
    for (const name of ['istio_tcp_connections_opened_total', 'istio_tcp_connections_closed_total', 'istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total']) expect(text).toContain(`# TYPE ${name} counter`);
  });

  it('counts open, bytes as they flow (visible at each scrape), and close with its flags', async () => {
    const registry = new Registry();
    const metrics = new TcpMetrics(registry);
    const connection = metrics.open({ reporter: 'source', securityPolicy: 'mutual_tls' });
    expect(await values(registry, 'istio_tcp_connections_opened_total')).toEqual([{ flags: '-', reporter: 'source', value: 1 }]);
    expect(await values(registry, 'istio_tcp_sent_bytes_total')).toEqual([{ flags: '-', reporter: 'source', value: 0 }]);
    connection.received(5);
    connection.sent(7);
    expect(await values(registry, 'istio_tcp_received_bytes_total')).toEqual([{ flags: '-', reporter: 'source', value: 5 }]);
    connection.received(3);
    expect(await values(registry, 'istio_tcp_received_bytes_total')).toEqual([{ flags: '-', reporter: 'source', value: 8 }]);
    expect(await values(registry, 'istio_tcp_connections_closed_total')).toEqual([]);
    connection.sent(1);
    connection.closed('CONNECT');
    connection.closed();
    expect(await values(registry, 'istio_tcp_connections_closed_total')).toEqual([{ flags: 'CONNECT', reporter: 'source', value: 1 }]);
    expect(await values(registry, 'istio_tcp_sent_bytes_total')).toEqual([{ flags: '-', reporter: 'source', value: 8 }]);
    expect(connection.totals).toEqual({ received: 8, sent: 8 });
  });

  it('counts relayed bytes by direction: from the client is received, from the destination is sent', async () => {
    const registry = new Registry();
    const connection = new TcpMetrics(registry).open({ reporter: 'destination', securityPolicy: 'unknown' });
    const client = new PassThrough();
    const destination = new PassThrough();
    countBytes(connection, client, destination);
    client.end('request');
    destination.end('answer!!');
    await new Promise((resolve) => setImmediate(resolve));
    expect(connection.totals).toEqual({ received: 7, sent: 8 });
  });
});
