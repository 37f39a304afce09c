import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createCsr, generateKeyPair, privateKeyToPem, ROOT_CERT_FILE, SpiffeId } from '@ambit/crypto';
import { HbonePool, HboneRefusedError, HboneServer, MeshTrust, type WorkloadCertificate } from '@ambit/hbone';
import { ControlPlaneProcess, createMeshDir, eventually, withTimeout, type MeshDir } from '@ambit/test-support';
import { CaClient, XdsClientCredentials } from '@ambit/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/index.js';
import { Waypoint } from '../src/waypoint.js';
import { createEngine, type EngineFactory } from '@ambit/l7-proxy';
import { ContextEngine } from './support/context-engine.js';
import { CLIENT_IDENTITY, meshFiles, REVIEWS_IDENTITY, REVIEWS_IP, REVIEWS_HOST, REVIEWS_VIP, WAYPOINT_IDENTITY, WAYPOINT_IP, WAYPOINT_UID } from './support/mesh.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(engineFactory?: EngineFactory) {
  const dir = await createMeshDir(meshFiles(8080), 'ambit-wp-');
  cleanups.push(() => dir.cleanup());
  const controlPlane = await ControlPlaneProcess.start(dir);
  cleanups.push(() => controlPlane.stop());
  const config = buildConfig({
    argv: [
      '--node-name=node-a',
      `--workload-uid=${WAYPOINT_UID}`,
      `--pod-ip=${WAYPOINT_IP}`,
      `--xds-address=127.0.0.1:${controlPlane.xdsPort}`,
      `--xds-identity=${controlPlane.identity}`,
      `--xds-token-file=${dir.tokenFile('node-a')}`,
      `--xds-root-cert=${join(dir.caDir, ROOT_CERT_FILE)}`,
      '--hbone-port=0',
      '--admin-address=127.0.0.1:0',
      '--metrics-address=127.0.0.1:0',
      '--readiness-address=127.0.0.1:0',
      '--drain-timeout=1s',
    ],
    env: {},
  });
  const engine = new ContextEngine();
  const waypoint = new Waypoint(config, { engine: engineFactory ?? engine.factory, backoff: { initialMs: 50, maxMs: 200 } });
  cleanups.push(() => waypoint.close());
  await waypoint.start();
  await eventually(() => {
    const { ready, lines } = waypoint.readiness();
    if (!ready) throw new Error(lines.join('; '));
    return true;
  }, 'the waypoint to be ready');
  return { dir, controlPlane, waypoint, engine };
}

/** A node-b workload's certificate, as its node's ztunnel obtains it: a CSR sent with node-b's token. */
async function nodeBCertificate(dir: MeshDir, controlPlane: ControlPlaneProcess, identity: string): Promise<{ trust: MeshTrust; certificate: WorkloadCertificate }> {
  const roots = await readFile(join(dir.caDir, ROOT_CERT_FILE), 'utf8');
  const token = (await readFile(dir.tokenFile('node-b'), 'utf8')).trim();
  const ca = new CaClient({ target: `127.0.0.1:${controlPlane.xdsPort}`, credentials: new XdsClientCredentials({ trustBundle: roots, serverIdentities: [controlPlane.identity], bearerToken: token }) });
  cleanups.push(() => ca.close());
  const { privateKey } = generateKeyPair();
  const certChain = await ca.createCertificate({ csrPem: createCsr(privateKey, SpiffeId.parse(identity)) });
  return { trust: new MeshTrust(roots), certificate: { certChain, privateKey: privateKeyToPem(privateKey) } };
}

async function clientPool(dir: MeshDir, controlPlane: ControlPlaneProcess): Promise<HbonePool> {
  const { trust, certificate } = await nodeBCertificate(dir, controlPlane, CLIENT_IDENTITY);
  const pool = new HbonePool({ trust, clientCertificate: () => certificate });
  cleanups.push(() => pool.close(0));
  return pool;
}

function request(stream: NodeJS.ReadWriteStream, text: string): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      let answer = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        answer += chunk;
        if (/\r\n\r\n[\s\S]*\}$/.test(answer)) resolve(answer);
      });
      stream.on('error', reject);
      stream.write(text);
    }),
    'the HTTP answer through the tunnel',
  );
}

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
    const hbone = waypoint.hboneAddress!;
    const connect = (vip: string, port: number) =>
      pool.connect({ sourceIdentity: SpiffeId.parse(CLIENT_IDENTITY), destinationIdentities: [SpiffeId.parse(WAYPOINT_IDENTITY)], destination: { ip: vip, port }, hboneAddress: { ip: hbone.host, port: hbone.port } });

    const http1 = await request(await connect(REVIEWS_VIP, 9080), `GET /reviews/1 HTTP/1.1\r\nhost: ${REVIEWS_HOST}\r\n\r\n`);
    expect(http1, JSON.stringify(http1)).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(JSON.parse(http1.slice(http1.indexOf('{')))).toEqual({
      method: 'GET',
      url: '/reviews/1',
      context: { routeTable: table, scheme: 'http', protocol: 'http', source: { identity: CLIENT_IDENTITY, namespace: 'demo', ip: '127.0.0.1' } },
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
    // The destination ztunnel: an HBONE server on the endpoint's IP:15008 with the endpoint's certificate, answering HTTP itself.
    const upstream = await nodeBCertificate(dir, controlPlane, REVIEWS_IDENTITY);
    const seen: { principal: string; authority: string }[] = [];
    const ztunnel = new HboneServer({
      trust: upstream.trust,
      certificateFor: () => upstream.certificate,
      handler: (request) => {
        seen.push({ principal: request.clientIdentity.toString(), authority: `${request.destination.ip}:${request.destination.port}` });
        const tunnel = request.accept();
        tunnel.once('data', () => tunnel.end('HTTP/1.1 200 OK\r\ncontent-length: 9\r\nconnection: close\r\n\r\nreviews-1'));
      },
    });
    await ztunnel.listen({ host: REVIEWS_IP, port: 15008 });
    cleanups.push(() => ztunnel.close(0));
    const pool = await clientPool(dir, controlPlane);
    const hbone = waypoint.hboneAddress!;
    const tunnel = await pool.connect({ sourceIdentity: SpiffeId.parse(CLIENT_IDENTITY), destinationIdentities: [SpiffeId.parse(WAYPOINT_IDENTITY)], destination: { ip: REVIEWS_VIP, port: 9080 }, hboneAddress: { ip: hbone.host, port: hbone.port } });
    const answer = await withTimeout(
      new Promise<string>((resolve) => {
        let text = '';
        tunnel.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (text.endsWith('reviews-1')) resolve(text);
        });
        tunnel.write(`GET /reviews/1 HTTP/1.1\r\nhost: ${REVIEWS_HOST}\r\n\r\n`);
      }),
      'the routed answer',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(seen).toEqual([{ principal: WAYPOINT_IDENTITY, authority: `${REVIEWS_IP}:8080` }]);
    const metrics = await (await fetch(`http://127.0.0.1:${waypoint.addresses.metrics.port}/metrics`)).text();
    expect(metrics).toMatch(/istio_requests_total\{reporter="waypoint",[^}]*destination_workload="reviews-v1"[^}]*destination_service="reviews\.demo\.svc\.cluster\.local"[^}]*response_code="200"[^}]*\} 1/);
  });
});
