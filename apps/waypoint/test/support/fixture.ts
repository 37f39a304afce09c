import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createCsr, generateKeyPair, privateKeyToPem, ROOT_CERT_FILE, SpiffeId } from '@ambit/crypto';
import { HbonePool, HboneServer, MeshTrust, type WorkloadCertificate } from '@ambit/hbone';
import type { EngineFactory } from '@ambit/l7-proxy';
import { ControlPlaneProcess, createMeshDir, eventually, withTimeout, type MeshDir } from '@ambit/test-support';
import { CaClient, XdsClientCredentials } from '@ambit/xds';
import { buildConfig } from '../../src/config/index.js';
import { Waypoint } from '../../src/waypoint.js';
import { ContextEngine } from './context-engine.js';
import { CLIENT_IDENTITY, meshFiles, REVIEWS_IDENTITY, REVIEWS_IP, WAYPOINT_IDENTITY, WAYPOINT_UID, WAYPOINT_IP } from './mesh.js';

/** What a test started, stopped in reverse order by `cleanUp` (call it in afterEach). */
const cleanups: (() => Promise<unknown> | void)[] = [];

export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export function onCleanUp(cleanup: () => Promise<unknown> | void): void {
  cleanups.push(cleanup);
}

export interface WaypointSetUp {
  readonly dir: MeshDir;
  readonly controlPlane: ControlPlaneProcess;
  readonly waypoint: Waypoint;
  readonly engine: ContextEngine;
}

/** The test mesh (plus `extraFiles`) under the real control plane binary, and a ready waypoint (the ContextEngine unless `engineFactory`). */
export async function setUp(engineFactory?: EngineFactory, extraFiles: Record<string, string> = {}): Promise<WaypointSetUp> {
  const dir = await createMeshDir({ ...meshFiles(8080), ...extraFiles }, 'ambit-wp-');
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
export async function nodeBCertificate(dir: MeshDir, controlPlane: ControlPlaneProcess, identity: string): Promise<{ trust: MeshTrust; certificate: WorkloadCertificate }> {
  const roots = await readFile(join(dir.caDir, ROOT_CERT_FILE), 'utf8');
  const token = (await readFile(dir.tokenFile('node-b'), 'utf8')).trim();
  const ca = new CaClient({ target: `127.0.0.1:${controlPlane.xdsPort}`, credentials: new XdsClientCredentials({ trustBundle: roots, serverIdentities: [controlPlane.identity], bearerToken: token }) });
  cleanups.push(() => ca.close());
  const { privateKey } = generateKeyPair();
  const certChain = await ca.createCertificate({ csrPem: createCsr(privateKey, SpiffeId.parse(identity)) });
  return { trust: new MeshTrust(roots), certificate: { certChain, privateKey: privateKeyToPem(privateKey) } };
}

/** An HBONE client pool of a node-b workload (default: the client pod's identity). */
export async function clientPool(dir: MeshDir, controlPlane: ControlPlaneProcess, identity = CLIENT_IDENTITY): Promise<HbonePool> {
  const { trust, certificate } = await nodeBCertificate(dir, controlPlane, identity);
  const pool = new HbonePool({ trust, clientCertificate: () => certificate });
  cleanups.push(() => pool.close(0));
  return pool;
}

/** A tunnel from `identity` to `vip:port` through the waypoint, as the client's ztunnel opens it. */
export function connectVia(pool: HbonePool, waypoint: Waypoint, identity: string, vip: string, port: number): ReturnType<HbonePool['connect']> {
  const hbone = waypoint.hboneAddress!;
  return pool.connect({ sourceIdentity: SpiffeId.parse(identity), destinationIdentities: [SpiffeId.parse(WAYPOINT_IDENTITY)], destination: { ip: vip, port }, hboneAddress: { ip: hbone.host, port: hbone.port } });
}

/** Writes `text` on the stream and resolves with what comes back once `complete` says the answer is whole. */
export function exchange(stream: NodeJS.ReadWriteStream, text: string, complete: (answer: string) => boolean): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      let answer = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        answer += chunk;
        if (complete(answer)) resolve(answer);
      });
      stream.on('error', reject);
      stream.write(text);
    }),
    'the HTTP answer through the tunnel',
  );
}

/**
 * The reviews endpoint's ztunnel: an HBONE server on its IP:15008 with its certificate,
 * answering every tunnel's request itself with 200 `reviews-1`; `seen` lists who connected where.
 */
export async function reviewsZtunnel(dir: MeshDir, controlPlane: ControlPlaneProcess): Promise<{ readonly seen: { principal: string; authority: string }[] }> {
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
  return { seen };
}
