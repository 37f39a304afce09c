import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { buildConfig } from '../src/config/index.js';
import { Ztunnel } from '../src/ztunnel.js';
import { createMeshDir, issueZtunnelCertificate } from './support/control-plane.js';
import { get } from './support/http.js';
import { eventually } from '@ambit/test-support';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A port where something listens but never speaks TLS, so every xDS attempt fails. */
async function deadControlPlane(): Promise<number> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

async function ztunnel(extra: readonly string[] = []): Promise<Ztunnel> {
  const dir = await createMeshDir({});
  cleanups.push(() => dir.cleanup());
  // A CA of its own: the directory is fresh, so the certificate's CA is created here.
  const files = await issueZtunnelCertificate(dir);
  const config = buildConfig({
    argv: ['--node-name=node-a', `--xds-address=127.0.0.1:${await deadControlPlane()}`, `--xds-cert=${files.certFile}`, `--xds-key=${files.keyFile}`, `--xds-root-cert=${files.rootCertFile}`,
      '--admin-address=127.0.0.1:0', '--metrics-address=127.0.0.1:0', '--readiness-address=127.0.0.1:0', '--socks5-port=0', ...extra],
    env: {},
  });
  const zt = new Ztunnel(config, { xdsBackoff: { initialMs: 20, maxMs: 50 } });
  cleanups.push(() => zt.close());
  return zt;
}

describe('readiness and the HTTP endpoints without a control plane', () => {
  it('stays not ready, saying what it waits for, while the xDS server cannot be reached', async () => {
    const zt = await ztunnel();
    await zt.start();
    const answer = await eventually(async () => {
      const a = await get(zt.addresses.readiness, '/healthz/ready');
      return /last error/.test(a.body) ? a : undefined;
    }, 'a readiness answer with the last xDS error');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatch(/^xds: waiting for the first Address and Authorization response from 127\.0\.0\.1:\d+ \(last error: .+\)\ncertificates:xds: ready\ncertificates:workloads: ready\nlisteners: ready\n$/);
  });

  it('answers GET only, on known paths only', async () => {
    const zt = await ztunnel();
    await zt.start();
    expect((await get(zt.addresses.admin, '/nope')).body).toBe('no endpoint /nope; try /config_dump\n');
    expect((await get(zt.addresses.metrics, '/config_dump')).status).toBe(404);
    const dump = JSON.parse((await get(zt.addresses.admin, '/config_dump')).body) as Record<string, unknown>;
    expect(Object.keys(dump)).toEqual(['workloads', 'services', 'policies', 'stagedServices', 'certificates', 'config', 'xds', 'localListeners', 'inbound', 'capturedPods']);
    expect(dump.workloads).toEqual([]);
  });

  it('fails to start on a taken port, naming it and the flag, and releases the others', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.0.1', port: 0 }, resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as AddressInfo).port;
    const zt = await ztunnel([`--readiness-address=127.0.0.1:${port}`]);
    await expect(zt.start()).rejects.toThrow(`cannot serve the readiness endpoint on 127.0.0.1:${port}: the address is already in use`);
    expect(() => zt.addresses).toThrow('ztunnel is not listening');
  });
});
