import { connect as tcpConnect } from 'node:net';
import { HboneRefusedError } from '@ambit/hbone';
import { withTimeout } from '@ambit/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@ambit/l7-proxy';
import { cleanUp, clientPool, connectVia, exchange, reviewsZtunnel, setUp } from './support/fixture.js';
import { CLIENT_IDENTITY, REVIEWS_IP, REVIEWS_HOST, REVIEWS_VIP, WAYPOINT_IDENTITY, WAYPOINT_UID } from './support/mesh.js';

afterEach(cleanUp);

/** An HTTP/1.1 request on a tunnel; the ContextEngine answers JSON. */
const request = (stream: NodeJS.ReadWriteStream, text: string): Promise<string> => exchange(stream, text, (answer) => /\r\n\r\n[\s\S]*\}$/.test(answer));

describe('waypoint with the real control plane', () => {
  it('learns its identity, gets its certificate with its node token, syncs its route tables and serves HTTP on HBONE tunnels with the client as source', async () => {
    const { controlPlane, dir, waypoint, engine } = await setUp();
    const table = `waypoint/demo/waypoint/${REVIEWS_HOST}:9080`;
    expect([...waypoint.state.routeTables.keys()]).toEqual([table]);
    expect([...waypoint.state.clusters.keys()]).toEqual([`outbound|9080||${REVIEWS_HOST}`]);
    expect(engine.resources?.routeTables.has(table)).toBe(true);
    const dump = (await (await fetch(`http://127.0.0.1:${waypoint.addresses.admin.port}/config_dump`)).json()) as { routeTables: object };
    expect(dump).toMatchObject({ workload: { uid: WAYPOINT_UID, identity: WAYPOINT_IDENTITY }, certificates: [{ identity: WAYPOINT_IDENTITY, state: 'Available' }] });
    expect(Object.keys(dump.routeTables)).toEqual([table]);
    expect(JSON.stringify(dump)).not.toContain('PRIVATE KEY');

    const pool = await clientPool(dir, controlPlane);
    const connect = (vip: string, port: number) => connectVia(pool, waypoint, CLIENT_IDENTITY, vip, port);

    const http1 = await request(await connect(REVIEWS_VIP, 9080), `GET /reviews/1 HTTP/1.1\r\nhost: ${REVIEWS_HOST}\r\n\r\n`);
    expect(http1, JSON.stringify(http1)).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(JSON.parse(http1.slice(http1.indexOf('{')))).toEqual({
      method: 'GET',
      url: '/reviews/1',
      context: {
        routeTable: table,
        scheme: 'http',
        protocol: 'http',
        source: { identity: CLIENT_IDENTITY, namespace: 'demo', ip: '127.0.0.1' },
        peer: CLIENT_IDENTITY,
        destination: { ip: REVIEWS_VIP, port: 9080, service: `demo/${REVIEWS_HOST}` },
      },
    });

    // Bad input: a VIP the waypoint does not serve, and a port of the service without a route table.
    await expect(connect('10.96.9.99', 9080)).rejects.toMatchObject({ constructor: HboneRefusedError, status: 404 });
    await expect(connect(REVIEWS_VIP, 9081)).rejects.toMatchObject({ status: 404 });
    expect(waypoint.state.sizes.routeTables).toBe(1);
  });

  it('closes a connection that does not speak HBONE and keeps serving', async () => {
    const { waypoint } = await setUp();
    const hbone = waypoint.hboneAddress!;
    const closed = await withTimeout(
      new Promise<string>((resolve) => {
        const socket = tcpConnect(hbone.port, hbone.host, () => socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(received));
      }),
      'the waypoint to close a plain-text connection',
    );
    expect(closed).not.toContain('HTTP/1.1 200');
    expect(waypoint.readiness().ready).toBe(true);
  });

  it("routes a request with libs/l7's engine over HBONE to the endpoint's ztunnel, as the waypoint's own identity", async () => {
    const { controlPlane, dir, waypoint } = await setUp(createEngine);
    // The destination ztunnel, answering HTTP itself.
    const { seen } = await reviewsZtunnel(dir, controlPlane);
    const pool = await clientPool(dir, controlPlane);
    const tunnel = await connectVia(pool, waypoint, CLIENT_IDENTITY, REVIEWS_VIP, 9080);
    const answer = await exchange(tunnel, `GET /reviews/1 HTTP/1.1\r\nhost: ${REVIEWS_HOST}\r\n\r\n`, (text) => text.endsWith('reviews-1'));
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(seen).toEqual([{ principal: WAYPOINT_IDENTITY, authority: `${REVIEWS_IP}:8080` }]);
    const metrics = await (await fetch(`http://127.0.0.1:${waypoint.addresses.metrics.port}/metrics`)).text();
    expect(metrics).toMatch(/istio_requests_total\{reporter="waypoint",[^}]*destination_workload="reviews-v1"[^}]*destination_service="reviews\.demo\.svc\.cluster\.local"[^}]*response_code="200"[^}]*\} 1/);
  });
});
