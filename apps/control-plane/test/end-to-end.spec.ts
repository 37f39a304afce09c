import diagnostics_channel from 'node:diagnostics_channel';
import { connect } from 'node:tls';
import { CertificateAuthority } from '@ambit/crypto';
import { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL, workloadV1, XDS_CHANNELS, type ClientDisconnectedEvent } from '@ambit/xds';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListenAddress } from '../src/config/index.js';
import { startMesh, ZTUNNEL_IDENTITY, type RunningMesh } from './support/control-plane.js';
import { getJson, http } from './support/http.js';
import { CapturedLog } from './support/log.js';
import { NAMES, podYaml, serviceYaml } from './support/mesh.js';
import { parsePrometheusText } from './support/prometheus.js';
import { issue, REJECTION_MESSAGE, TestProxy, type ProxyCertificate } from './support/proxy.js';
import { eventually, withTimeout } from '@ambit/test-support';

const running: RunningMesh[] = [];
afterEach(async () => {
  for (const mesh of running.splice(0)) await mesh.close();
});

async function mesh(flags: readonly string[] = [], log?: CapturedLog): Promise<RunningMesh> {
  const started = await startMesh(flags, log === undefined ? {} : { log: log.logger });
  running.push(started);
  return started;
}

const names = (update: { readonly upserted: readonly { readonly name: string }[] }): string[] => update.upserted.map((u) => u.name).sort();

interface FileStatusJson {
  readonly path: string;
  readonly status: 'ok' | 'error';
  readonly issues: readonly string[];
}
interface StatusJson {
  readonly files: readonly FileStatusJson[];
  readonly resources: readonly { readonly resource: string; readonly appliedTo: readonly { kind: string; uid?: string; key?: string }[] }[];
}
type DumpJson = Record<string, { readonly name: string; readonly version: string; readonly resource: unknown }[]>;
interface SynczJson {
  readonly node: { readonly id: string };
  readonly identities: readonly string[];
  readonly types: readonly { readonly typeUrl: string; readonly state: string; readonly versions: Record<string, string>; readonly lastNack?: { readonly message: string } }[];
}

describe('the control plane, end to end', () => {
  it('serves the mesh to a proxy of the mesh, and reports it ready, synced and measured', async () => {
    const { controlPlane, proxy: connect } = await mesh();
    const admin = controlPlane.addresses.admin;
    const ready = await http(admin, '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toBe('config: ready\ntranslator: ready\nxds: ready\n');

    const proxy = connect('ztunnel-a');
    const first = await proxy.addressUpdates.next('the first Address response');
    expect(names(first)).toEqual([NAMES.podA, NAMES.podB, NAMES.service].sort());
    const podA = proxy.addresses.get(NAMES.podA)!.resource;
    expect(podA.type === 'workload' && podA.workload.status).toBe(workloadV1.WorkloadStatus.HEALTHY);
    expect((await proxy.authorizationUpdates.next('the first Authorization response')).upserted).toEqual([]);

    // Synced once the server has the ACK: the versions it lists are the proxy's own.
    const held = Object.fromEntries(proxy.client.resourceVersions(ADDRESS_TYPE_URL));
    const [entry] = await eventually(async () => {
      const syncz = await getJson<SynczJson[]>(admin, '/debug/syncz');
      return syncz.every((p) => p.types.every((t) => t.state === 'synced')) && syncz.length === 1 ? syncz : undefined;
    }, 'the proxy to show as synced');
    expect(entry!.node.id).toBe('ztunnel-a');
    expect(entry!.identities).toEqual([ZTUNNEL_IDENTITY]);
    expect(entry!.types.find((t) => t.typeUrl === ADDRESS_TYPE_URL)!.versions).toEqual(held);

    const dump = await getJson<DumpJson>(admin, '/debug/config_dump');
    expect(Object.fromEntries(dump[ADDRESS_TYPE_URL]!.map((r) => [r.name, r.version]))).toEqual(held);
    expect(dump[AUTHORIZATION_TYPE_URL]).toEqual([]);
    expect(dump[ADDRESS_TYPE_URL]!.find((r) => r.name === NAMES.podA)!.resource).toMatchObject({ workload: { addresses: ['10.0.0.1'] } });

    const metrics = await http(admin, '/metrics');
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheusText(metrics.body);
    expect(samples.get('pilot_xds')).toBe(1);
    expect(samples.get(`ambit_xds_resources{type="${ADDRESS_TYPE_URL}"}`)).toBe(3);
    expect(samples.get('ambit_config_files_with_errors')).toBe(0);
    expect(samples.get('ambit_config_files')).toBe(4);
    expect(samples.get(`pilot_total_xds_rejects{type="${ADDRESS_TYPE_URL}"}`)).toBe(0);
    // The process's own metrics, which operators size the control plane by.
    expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    const config = await getJson<Record<string, unknown>>(admin, '/debug/config');
    expect(config).toMatchObject({ trustDomain: 'cluster.local', configDir: controlPlane.config.configDir, xdsAddress: { host: '127.0.0.1', port: 0 } });
  });

  it('pushes exactly the workload whose pod changed, measures its convergence, and removes the resources of a deleted file', async () => {
    const { dir, controlPlane, proxy: connect } = await mesh();
    const proxy = connect('ztunnel-a');
    await proxy.addressUpdates.next('the first Address response');

    await dir.write('pod-a.yaml', podYaml('web-a', '10.0.0.1', { ready: false }));
    const changed = await proxy.addressUpdates.next('the push of the pod that became unready');
    expect(names(changed)).toEqual([NAMES.podA]);
    expect(changed.removed).toEqual([]);
    const podA = changed.upserted[0]!.resource;
    expect(podA.type === 'workload' && podA.workload.status).toBe(workloadV1.WorkloadStatus.UNHEALTHY);
    // The initial sync is not a push; the change is, once the proxy has ACKed it.
    const convergence = `pilot_proxy_convergence_time_count{type="${ADDRESS_TYPE_URL}"}`;
    await eventually(async () => {
      const samples = parsePrometheusText((await http(controlPlane.addresses.admin, '/metrics')).body);
      return samples.get(convergence) === 1 ? true : undefined;
    }, 'one convergence observed');

    await dir.remove('pod-b.yaml');
    const removed = await proxy.addressUpdates.next('the removal of the deleted pod');
    expect(removed.upserted).toEqual([]);
    expect(removed.removed).toEqual([NAMES.podB]);
    expect([...proxy.addresses.keys()].sort()).toEqual([NAMES.podA, NAMES.service].sort());
  });

  it('keeps the last good resources while a file is invalid, and shows the error with its position', async () => {
    const { dir, controlPlane, proxy: connect } = await mesh();
    const admin = controlPlane.addresses.admin;
    const proxy = connect('ztunnel-a');
    await proxy.addressUpdates.next('the first Address response');
    const before = proxy.addresses.get(NAMES.podA)!.version;

    // A typo in a field name: the whole file is refused, its previous version stays in force.
    await dir.write('pod-a.yaml', podYaml('web-a', '10.0.0.9').replace('nodeName:', 'nodeNme:'));
    const file = await eventually(async () => {
      const status = await getJson<StatusJson>(admin, '/debug/status');
      return status.files.find((f) => f.path.endsWith('pod-a.yaml') && f.status === 'error');
    }, '/debug/status to report the invalid file');
    expect(file.issues).toHaveLength(1);
    expect(file.issues[0]).toMatch(/pod-a\.yaml:\d+:\d+ Pod demo\/web-a spec\.nodeNme: /);

    const dump = await getJson<DumpJson>(admin, '/debug/config_dump');
    expect(dump[ADDRESS_TYPE_URL]!.find((r) => r.name === NAMES.podA)!.version).toBe(before);
    expect(parsePrometheusText((await http(admin, '/metrics')).body).get('ambit_config_files_with_errors')).toBe(1);

    // Responses arrive in order: the next one is the service's (a new VIP changes no
    // workload), so nothing was pushed for the invalid pod in between.
    await dir.write('service.yaml', serviceYaml('10.96.0.11'));
    expect(names(await proxy.addressUpdates.next('the push of the service change'))).toEqual([NAMES.service]);
    expect(proxy.addresses.get(NAMES.podA)!.version).toBe(before);

    await dir.write('pod-a.yaml', podYaml('web-a', '10.0.0.9'));
    expect(names(await proxy.addressUpdates.next('the push of the fixed pod'))).toEqual([NAMES.podA]);
    const status = await getJson<StatusJson>(admin, '/debug/status');
    expect(status.files.every((f) => f.status === 'ok')).toBe(true);
    // The model's facts per resource: the Service applies to its service and both pods.
    expect(status.resources.find((r) => r.resource === 'Service demo/web')!.appliedTo).toEqual([
      { kind: 'service', key: NAMES.service },
      { kind: 'workload', uid: NAMES.podA },
      { kind: 'workload', uid: NAMES.podB },
    ]);
  });

  it('counts and shows a proxy that rejects its config', async () => {
    const { controlPlane, proxy: connect } = await mesh();
    const admin = controlPlane.addresses.admin;
    connect('ztunnel-nack', { rejectAddresses: true });
    const rejects = `pilot_total_xds_rejects{type="${ADDRESS_TYPE_URL}"}`;
    await eventually(async () => ((parsePrometheusText((await http(admin, '/metrics')).body).get(rejects) ?? 0) > 0 ? true : undefined), 'the NACK to be counted');
    const [entry] = await getJson<SynczJson[]>(admin, '/debug/syncz');
    const addresses = entry!.types.find((t) => t.typeUrl === ADDRESS_TYPE_URL)!;
    expect(addresses.state).toBe('nacked');
    expect(addresses.lastNack!.message).toBe(REJECTION_MESSAGE);
    expect(addresses.versions).toEqual({});
  });

  it('refuses a proxy whose certificate comes from another CA', async () => {
    const { controlPlane, ca } = await mesh();
    const foreign = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const stranger = new TestProxy({
      address: controlPlane.addresses.xds,
      certificate: issue(foreign, ZTUNNEL_IDENTITY),
      trustBundle: ca.trustBundle(),
      serverIdentity: controlPlane.identity,
      nodeId: 'stranger',
    });
    try {
      const error = await eventually(() => stranger.client.status().lastError, 'the refused connection to be reported');
      expect(error.code).toBe('AMBIT_ERR_XDS_CONNECTION');
      expect(stranger.client.status().connected).toBe(false);
      expect(stranger.addressUpdates.pending).toBe(0);
      expect(await getJson<unknown[]>(controlPlane.addresses.admin, '/debug/syncz')).toEqual([]);
    } finally {
      stranger.close();
    }
  });

  it('renews its serving certificate at half-life without dropping proxy streams', async () => {
    const log = new CapturedLog();
    // Two seconds of lifetime: the certificate is renewed about every second.
    const { dir, controlPlane, ca, proxy: connect } = await mesh(['--workload-cert-ttl', '2s'], log);
    const proxy = connect('ztunnel-a');
    await proxy.addressUpdates.next('the first Address response');
    const target = `${controlPlane.addresses.xds.host}:${controlPlane.addresses.xds.port}`;
    const disconnects: ClientDisconnectedEvent[] = [];
    const onDisconnect = (message: unknown): void => {
      const event = message as ClientDisconnectedEvent;
      if (event.target === target) disconnects.push(event);
    };
    diagnostics_channel.subscribe(XDS_CHANNELS.clientDisconnected, onDisconnect);
    try {
      const certificate = issue(ca, ZTUNNEL_IDENTITY);
      const servedBefore = await servedSerial(controlPlane.addresses.xds, certificate, ca.trustBundle());
      await log.next(/serving certificate renewed/);
      const servedAfter = await servedSerial(controlPlane.addresses.xds, certificate, ca.trustBundle());
      expect(servedAfter).not.toBe(servedBefore);

      // The stream opened under the first certificate still carries pushes.
      await dir.write('pod-b.yaml', podYaml('web-b', '10.0.0.2', { version: 'v2' }));
      expect(names(await proxy.addressUpdates.next('a push after the renewal'))).toEqual([NAMES.podB]);
      expect(disconnects).toEqual([]);
      const late = connect('ztunnel-b');
      expect(names(await late.addressUpdates.next('the first response to a proxy connecting after the renewal'))).toHaveLength(3);
    } finally {
      diagnostics_channel.unsubscribe(XDS_CHANNELS.clientDisconnected, onDisconnect);
    }
  });
});

/** The serial number of the certificate the xDS port presents to a new connection. */
function servedSerial(address: ListenAddress, certificate: ProxyCertificate, trustBundle: readonly string[]): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      const socket = connect({
        host: address.host,
        port: address.port,
        ca: [...trustBundle],
        cert: certificate.certChain.join(''),
        key: certificate.privateKey,
        ALPNProtocols: ['h2'],
        servername: '',
        // Mesh certificates name no host; the identity is not what this helper checks.
        checkServerIdentity: () => undefined,
      });
      socket.once('secureConnect', () => {
        resolve(socket.getPeerX509Certificate()!.serialNumber);
        socket.destroy();
      });
      socket.once('error', reject);
    }),
    'a TLS handshake with the xDS port',
  );
}
