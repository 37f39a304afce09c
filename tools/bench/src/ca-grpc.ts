/**
 * The mesh CA over the wire: the real control-plane binary, one node's ztunnel-like
 * client authenticated with its bootstrap token, CSRs for workloads scheduled on that
 * node sent over gRPC/TLS with `concurrency` calls in flight — everything a ztunnel's
 * certificate request costs the control plane (TLS, HTTP/2, token check, node
 * authorization against the model, CSR verification, signing). The baseline, in the
 * same run and process: `CertificateAuthority.sign` on the same CSRs, so the ratio is
 * what the service around the signature costs. Target (issue #3): ≥ 500 CSRs/s.
 *
 *   npm run bench:ca [-- --quick]
 *
 * AMBIT_BENCH_JSON_OUT (a file): the results as JSON too, for the suite.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CertificateAuthority, createCsr, generateKeyPair, SpiffeId } from '@ambit/crypto';
import { CaClient, XdsClientCredentials } from '@ambit/xds';
import { startControlPlane, stop } from './control-plane-process.js';
import { generateMeshFiles, meshFileText } from './mesh-generator.js';

const quick = process.argv.includes('--quick');
const SERVICES = quick ? 50 : 200;
const CSRS = quick ? 400 : 2000;
const CONCURRENCY = [1, 16, 64];
const CONTROL_PLANE = 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane';
const NODE = 'node-0';

// Every 4th pod of the generated mesh runs on node-0: those are the identities it may ask for.
const mesh = generateMeshFiles({ services: SERVICES, podsPerService: 4 });
const identities = mesh
  .flatMap((file) => file.documents)
  .filter((doc) => doc.includes('kind: Pod') && doc.includes(`nodeName: ${NODE}\n`))
  .map((doc) => {
    const namespace = /namespace: (\S+)/.exec(doc)![1]!;
    const serviceAccount = /serviceAccountName: (\S+)/.exec(doc)![1]!;
    return SpiffeId.of({ trustDomain: 'cluster.local', namespace, serviceAccount });
  });
const requests = Array.from({ length: CSRS }, (_, i) => {
  const identity = identities[i % identities.length]!;
  return { identity, csr: createCsr(generateKeyPair().privateKey, identity) };
});

const dir = await mkdtemp(join(tmpdir(), 'ambit-bench-ca-grpc-'));
try {
  const configDir = join(dir, 'config');
  await mkdir(configDir);
  for (const file of mesh) await writeFile(join(configDir, file.name), meshFileText(file));
  const token = randomBytes(32).toString('base64url');
  const tokens = join(dir, 'node-tokens.yaml');
  await writeFile(tokens, `- node: ${NODE}\n  token: ${token}\n`, { mode: 0o600 });
  const controlPlane = await startControlPlane(configDir, join(dir, 'ca'), ['--node-tokens', tokens]);
  try {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local', dir: join(dir, 'ca') });
    const libraryStart = performance.now();
    for (const { csr, identity } of requests) ca.sign(csr, { identity });
    const libraryPerSecond = CSRS / ((performance.now() - libraryStart) / 1000);

    const client = new CaClient({ target: controlPlane.xds, credentials: new XdsClientCredentials({ trustBundle: ca.trustBundle(), serverIdentities: [CONTROL_PLANE], bearerToken: token }) });
    // The first call opens the channel (TCP, TLS, HTTP/2): not part of the rate.
    await client.createCertificate({ csrPem: requests[0]!.csr });
    const rows: string[] = [];
    const grpc: { concurrency: number; perSecond: number; p50Ms: number; p99Ms: number }[] = [];
    for (const concurrency of CONCURRENCY) {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < requests.length) {
            const { csr } = requests[next++]!;
            const t0 = performance.now();
            await client.createCertificate({ csrPem: csr });
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const perSecond = CSRS / ((performance.now() - started) / 1000);
      latencies.sort((a, b) => a - b);
      const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
      const p = (q: number): string => at(q).toFixed(1);
      grpc.push({ concurrency, perSecond, p50Ms: at(0.5), p99Ms: at(0.99) });
      rows.push(`| gRPC, token-authenticated, ${concurrency} in flight | ${Math.round(perSecond).toLocaleString('en')} | ${p(0.5)} / ${p(0.99)} | **${(perSecond / libraryPerSecond).toFixed(2)}×** |`);
    }
    client.close();
    console.log(`ca-grpc — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, ${CSRS.toLocaleString('en')} CSRs for ${identities.length} identities of ${NODE}, mesh of ${SERVICES * 4} pods`);
    console.log('| path | CSRs/s | latency p50 / p99 (ms) | rate vs library |');
    console.log('|---|---:|---:|---:|');
    console.log(`| \`CertificateAuthority.sign\` in this process (baseline) | ${Math.round(libraryPerSecond).toLocaleString('en')} | — | 1.00× |`);
    for (const row of rows) console.log(row);
    const jsonOut = process.env['AMBIT_BENCH_JSON_OUT'];
    if (jsonOut !== undefined) await writeFile(jsonOut, JSON.stringify({ csrs: CSRS, identities: identities.length, libraryPerSecond, grpc }, null, 2));
  } finally {
    await stop(controlPlane.child);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
