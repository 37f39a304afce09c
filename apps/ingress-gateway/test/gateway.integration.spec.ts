import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as http2Connect } from 'node:http2';
import { join } from 'node:path';
import { createCsr, generateKeyPair, privateKeyToPem, ROOT_CERT_FILE, SpiffeId } from '@ambit/crypto';
import { HboneServer, MeshTrust } from '@ambit/hbone';
import { ControlPlaneProcess, createMeshDir, eventually, withTimeout, type MeshDir } from '@ambit/test-support';
import { CaClient, XdsClientCredentials } from '@ambit/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/index.js';
import { IngressGateway } from '../src/ingress-gateway.js';
import { GATEWAY_IDENTITY, GATEWAY_IP, GATEWAY_UID, HTTP_PORT, HTTPS_PORT, meshFiles, MISSING_CREDENTIAL_PORT, MUTUAL_PORT, PLUSONE_HOST, PLUSONE_IDENTITY, PLUSONE_IP, REDIRECT_PORT, selfSigned, tlsSecret } from './support/mesh.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly fingerprint?: string;
}

/** One request to the gateway; `tls` makes it HTTPS with that CA (and SNI = the Host). */
function get(port: number, path: string, host: string, tls?: { ca: string; cert?: string; key?: string }): Promise<Answer> {
  return withTimeout(
    new Promise<Answer>((resolve, reject) => {
      const options = { host: GATEWAY_IP, port, path, headers: { host }, agent: false as const };
      const req = tls === undefined ? httpRequest(options) : httpsRequest({ ...options, servername: host, ca: tls.ca, ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }) });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const fingerprint = tls === undefined ? undefined : (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ...(fingerprint === undefined ? {} : { fingerprint }) });
        });
      });
      req.on('error', reject);
      req.end();
    }),
    `GET ${path} on port ${port}`,
  );
}

/** A node-b workload's certificate, as its node's ztunnel obtains it: a CSR sent with node-b's token. */
async function nodeBCertificate(dir: MeshDir, controlPlane: ControlPlaneProcess, identity: string) {
  const roots = await readFile(join(dir.caDir, ROOT_CERT_FILE), 'utf8');
  const token = (await readFile(dir.tokenFile('node-b'), 'utf8')).trim();
  const ca = new CaClient({ target: `127.0.0.1:${controlPlane.xdsPort}`, credentials: new XdsClientCredentials({ trustBundle: roots, serverIdentities: [controlPlane.identity], bearerToken: token }) });
  cleanups.push(() => ca.close());
  const { privateKey } = generateKeyPair();
  const certChain = await ca.createCertificate({ csrPem: createCsr(privateKey, SpiffeId.parse(identity)) });
  return { trust: new MeshTrust(roots), certificate: { certChain, privateKey: privateKeyToPem(privateKey) } };
}

async function setUp() {
  const credentials = { simple: selfSigned(PLUSONE_HOST), mutual: selfSigned(PLUSONE_HOST) };
  const dir = await createMeshDir(meshFiles(credentials), 'ambit-gw-');
  cleanups.push(() => dir.cleanup());
  const controlPlane = await ControlPlaneProcess.start(dir);
  cleanups.push(() => controlPlane.stop());
  // The destination ztunnel: an HBONE server on the endpoint's IP:15008 with the endpoint's certificate, answering HTTP itself.
  const upstream = await nodeBCertificate(dir, controlPlane, PLUSONE_IDENTITY);
  const seen: { principal: string; authority: string; head: string }[] = [];
  const ztunnel = new HboneServer({
    trust: upstream.trust,
    certificateFor: () => upstream.certificate,
    handler: (request) => {
      const tunnel = request.accept();
      let head = '';
      tunnel.setEncoding('latin1').on('data', (chunk: string) => {
        head += chunk;
        if (!head.includes('\r\n\r\n')) return;
        seen.push({ principal: request.clientIdentity.toString(), authority: `${request.destination.ip}:${request.destination.port}`, head });
        const body = `echo ${head.split(' ')[1]}`;
        tunnel.end(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      });
    },
  });
  await ztunnel.listen({ host: PLUSONE_IP, port: 15008 });
  cleanups.push(() => ztunnel.close(0));
  const config = buildConfig({
    argv: [
      '--node-name=node-a',
      `--workload-uid=${GATEWAY_UID}`,
      `--pod-ip=${GATEWAY_IP}`,
      `--xds-address=127.0.0.1:${controlPlane.xdsPort}`,
      `--xds-identity=${controlPlane.identity}`,
      `--xds-token-file=${dir.tokenFile('node-a')}`,
      `--xds-root-cert=${join(dir.caDir, ROOT_CERT_FILE)}`,
      `--config-dir=${dir.configDir}`,
      '--low-port-offset=8000',
      '--admin-address=127.0.0.1:0',
      '--metrics-address=127.0.0.1:0',
      '--readiness-address=127.0.0.1:0',
      '--drain-timeout=1s',
    ],
    env: {},
  });
  const gateway = new IngressGateway(config, { backoff: { initialMs: 50, maxMs: 200 } });
  cleanups.push(() => gateway.close());
  await gateway.start();
  await eventually(() => {
    const { ready, lines } = gateway.readiness();
    if (!ready || gateway.ports().length < 4) throw new Error(`${lines.join('; ')}; ports ${JSON.stringify(gateway.ports())}`);
    return true;
  }, 'the gateway to be ready with its ports bound');
  return { dir, gateway, credentials, seen };
}

describe('ingress gateway with the real control plane', () => {
  it('routes a Gateway HTTP port by the bound VirtualService into the mesh over HBONE, as its own identity, and reports as source', async () => {
    const { gateway, seen } = await setUp();
    expect([...gateway.state.listeners.keys()]).toEqual(['istio-system/ingress']);
    const answer = await get(HTTP_PORT, '/plusone/99', PLUSONE_HOST);
    expect(answer).toMatchObject({ status: 200, body: 'echo /plusone/99' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ principal: GATEWAY_IDENTITY, authority: `${PLUSONE_IP}:8080` });
    expect(seen[0]!.head).toMatch(/\r\nhost: plusone\.example\.com\r\n/i);

    // h2c with prior knowledge on the same port.
    const session = http2Connect(`http://${GATEWAY_IP}:${HTTP_PORT}`);
    cleanups.push(() => void session.close());
    const h2 = await withTimeout(
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request({ ':path': '/plusone/7', ':authority': PLUSONE_HOST });
        let body = '';
        let status = 0;
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => resolve({ status, body }));
        stream.on('error', reject);
      }),
      'the HTTP/2 answer',
    );
    expect(h2).toEqual({ status: 200, body: 'echo /plusone/7' });

    // No VirtualService for this host, and no route for this path: 404 from the engine.
    expect((await get(HTTP_PORT, '/plusone/1', 'other.example.com')).status).toBe(404);
    expect((await get(HTTP_PORT, '/minusone/1', PLUSONE_HOST)).status).toBe(404);

    const metrics = await (await fetch(`http://127.0.0.1:${gateway.addresses.metrics.port}/metrics`)).text();
    expect(metrics).toMatch(/istio_requests_total\{reporter="source",source_workload="ingressgateway-0"[^}]*destination_workload="plusone-v1"[^}]*response_code="200"[^}]*\} 2/);
  });

  it('redirects an httpsRedirect server to https with 301', async () => {
    await setUp();
    const answer = await get(REDIRECT_PORT, '/plusone/3?x=1', `${PLUSONE_HOST}:81`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://${PLUSONE_HOST}/plusone/3?x=1`);
  });

  it('terminates HTTPS with the credential Secret and takes a changed Secret for new connections without a restart', async () => {
    const { dir, gateway, credentials } = await setUp();
    const answer = await get(HTTPS_PORT, '/plusone/5', PLUSONE_HOST, { ca: credentials.simple.certificate });
    expect(answer).toMatchObject({ status: 200, body: 'echo /plusone/5', fingerprint: new X509Certificate(credentials.simple.certificate).fingerprint256 });

    const renewed = selfSigned(PLUSONE_HOST);
    await dir.write('secret-gw-cert.yaml', tlsSecret('gw-cert', renewed));
    const expected = new X509Certificate(renewed.certificate).fingerprint256;
    await eventually(async () => {
      const again = await get(HTTPS_PORT, '/plusone/6', PLUSONE_HOST, { ca: renewed.certificate });
      if (again.fingerprint !== expected) throw new Error('still the old certificate');
      return again.status === 200;
    }, 'the renewed certificate to be served');
    expect(gateway.ports().find((p) => p.port === 443)?.address).toBe(`${GATEWAY_IP}:${HTTPS_PORT}`);
  });

  it('refuses a MUTUAL client without a certificate, and serves one with a certificate from the CA', async () => {
    const { credentials } = await setUp();
    await expect(get(MUTUAL_PORT, '/plusone/1', PLUSONE_HOST, { ca: credentials.mutual.certificate })).rejects.toThrow();
    // The credential's CA is its own certificate here: a client presenting it is verified.
    const answer = await get(MUTUAL_PORT, '/plusone/2', PLUSONE_HOST, { ca: credentials.mutual.certificate, cert: credentials.mutual.certificate, key: credentials.mutual.privateKey });
    expect(answer).toMatchObject({ status: 200, body: 'echo /plusone/2' });
  });

  it('reports a server whose credential is missing and serves the other ports', async () => {
    const { gateway } = await setUp();
    const dump = (await (await fetch(`http://127.0.0.1:${gateway.addresses.admin.port}/config_dump`)).json()) as { portFailures: Record<string, string> };
    expect(dump.portFailures['9444']).toContain('credential istio-system/no-such-secret: no Secret istio-system/no-such-secret');
    await expect(get(MISSING_CREDENTIAL_PORT, '/', PLUSONE_HOST, { ca: 'x' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await get(HTTP_PORT, '/plusone/4', PLUSONE_HOST)).status).toBe(200);
  });
});
