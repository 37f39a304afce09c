/**
 * The control plane at scale: a mesh of 1,000 services × 10 pods (10,000 workloads) in
 * a config directory, the real control-plane binary serving it, and 100 ztunnel-like
 * xDS clients in this process. Measures how long a new client's full sync takes, how
 * long one pod's change takes to reach every client (p50/p99) and how many bytes it
 * costs per client, and the control plane's RSS. The baseline is the same run on a
 * one-service mesh: the ratio is what the mesh's size costs.
 *
 *   npm run bench:xds [-- --quick]
 *
 * Environment (the suite sets these): AMBIT_BENCH_XDS_SERVICES (comma-separated service
 * counts, 10 pods each, one scenario per count; default 1000, --quick 100),
 * AMBIT_BENCH_XDS_DEBOUNCE0=0 (leave out the --debounce 0ms scenario),
 * AMBIT_BENCH_XDS_CLIENTS, AMBIT_BENCH_XDS_PUSHES, AMBIT_BENCH_XDS_JOINS, and
 * AMBIT_BENCH_JSON_OUT (a file: the results as JSON, beside the printed table).
 */
import { mkdtemp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, SpiffeId } from '@ambit/crypto';
import { securityV1, watchResources, workloadV1, XdsClient, XdsClientCredentials, type ResourceUpdate } from '@ambit/xds';
import { heapUsedMiB, rssOf, startControlPlane, stop, waitFor, withTimeout } from './control-plane-process.js';
import { generateMeshFiles, meshFileText, type MeshSize } from './mesh-generator.js';

const quick = process.argv.includes('--quick');
const setting = (name: string, full: number, short: number): number => Number(process.env[name] ?? (quick ? short : full));
const CLIENTS = setting('AMBIT_BENCH_XDS_CLIENTS', 100, 20);
const PUSHES = setting('AMBIT_BENCH_XDS_PUSHES', 40, 10);
const JOINS = setting('AMBIT_BENCH_XDS_JOINS', 5, 2);
const SERVICE_COUNTS = (process.env['AMBIT_BENCH_XDS_SERVICES'] ?? (quick ? '100' : '1000')).split(',').map(Number);
const WITH_DEBOUNCE0 = process.env['AMBIT_BENCH_XDS_DEBOUNCE0'] !== '0';
const JSON_OUT = process.env['AMBIT_BENCH_JSON_OUT'];
const TRUST_DOMAIN = 'cluster.local';
const ZTUNNEL = `spiffe://${TRUST_DOMAIN}/ns/istio-system/sa/ztunnel`;
const CONTROL_PLANE = `spiffe://${TRUST_DOMAIN}/ns/istio-system/sa/ambit-control-plane`;
const READY_TIMEOUT_MS = 120_000;

interface Scenario {
  readonly label: string;
  readonly size: MeshSize;
  /** The control plane's --debounce. */
  readonly debounce: string;
}

export interface ScenarioResult {
  readonly label: string;
  readonly workloads: number;
  readonly addresses: number;
  readonly startMs: number;
  readonly joinMs: number;
  readonly fullSyncBytes: number;
  readonly pushP50Ms: number;
  readonly pushP99Ms: number;
  readonly pushBytes: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
}

/** One ztunnel-like client: counts what it holds and the bytes it was sent, and reports updates of one watched name. */
class BenchClient {
  readonly client: XdsClient;
  readonly addresses = new Set<string>();
  bytes = 0;
  #watch: { name: string; seen: (at: number) => void } | undefined;

  constructor(target: string, credentials: XdsClientCredentials, id: number) {
    this.client = new XdsClient({
      target,
      credentials,
      node: { id: `ztunnel~bench-${id}`, metadata: { role: 'ztunnel', node: `node-${id % 4}` } },
      resources: [
        watchResources(workloadV1.Address, (update) => this.#onAddresses(update)),
        watchResources(securityV1.Authorization, (update) => {
          for (const { resource } of update.upserted) this.bytes += securityV1.Authorization.encode(resource).length;
        }),
      ],
    });
  }

  watch(name: string, seen: (at: number) => void): void {
    this.#watch = { name, seen };
  }

  synced(): boolean {
    const types = this.client.status().types;
    return types.length > 0 && types.every((type) => type.synced);
  }

  #onAddresses(update: ResourceUpdate<workloadV1.Address>): void {
    const at = performance.now();
    for (const { name, resource } of update.upserted) {
      this.addresses.add(name);
      this.bytes += workloadV1.Address.encode(resource).length;
      if (this.#watch?.name === name) {
        this.#watch.seen(at);
        this.#watch = undefined;
      }
    }
    for (const name of update.removed) this.addresses.delete(name);
  }
}

async function main(): Promise<void> {
  const scenarios: Scenario[] = [{ label: '1 service × 1 pod (baseline)', size: { services: 1, podsPerService: 1 }, debounce: '100ms' }];
  for (const services of SERVICE_COUNTS) scenarios.push({ label: `${services.toLocaleString('en-US')} services × 10 pods`, size: { services, podsPerService: 10 }, debounce: '100ms' });
  const biggest = Math.max(...SERVICE_COUNTS);
  if (WITH_DEBOUNCE0) scenarios.push({ label: `${biggest.toLocaleString('en-US')} services × 10 pods, --debounce 0ms`, size: { services: biggest, podsPerService: 10 }, debounce: '0ms' });
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario));
  printTable(results);
  if (JSON_OUT !== undefined) await writeFile(JSON_OUT, JSON.stringify({ clients: CLIENTS, pushes: PUSHES, joins: JOINS, quick, scenarios: results }, null, 2));
}

async function runScenario({ label, size, debounce }: Scenario): Promise<ScenarioResult> {
  const root = await mkdtemp(join(tmpdir(), 'ambit-bench-xds-'));
  const configDir = join(root, 'config');
  const caDir = join(root, 'ca');
  await mkdir(configDir);
  const files = generateMeshFiles(size);
  for (const file of files) await writeFile(join(configDir, file.name), meshFileText(file));
  const started = performance.now();
  const controlPlane = await startControlPlane(configDir, caDir, ['--debounce', debounce]);
  const startMs = performance.now() - started;
  const clients: BenchClient[] = [];
  try {
    const ca = await CertificateAuthority.create({ trustDomain: TRUST_DOMAIN, dir: caDir });
    const credentials = clientCredentials(ca);
    for (let i = 0; i < CLIENTS; i++) clients.push(new BenchClient(controlPlane.xds, credentials, i));
    for (const client of clients) client.client.start();
    await waitFor(() => clients.every((client) => client.synced()), `${CLIENTS} clients to sync`, READY_TIMEOUT_MS);
    const addresses = clients[0]!.addresses.size;

    // A new client joining a loaded control plane, while the others stay connected.
    const joins: number[] = [];
    let fullSyncBytes = 0;
    for (let j = 0; j < JOINS; j++) {
      const joiner = new BenchClient(controlPlane.xds, credentials, CLIENTS + j);
      const t0 = performance.now();
      joiner.client.start();
      await waitFor(() => joiner.synced() && joiner.addresses.size === addresses, 'a new client to sync');
      joins.push(performance.now() - t0);
      fullSyncBytes = joiner.bytes;
      joiner.client.close();
    }

    // One pod changes (its version label, hence the workload's canonical revision).
    const pushes: number[] = [];
    let pushBytes = 0;
    for (let p = 0; p < PUSHES; p++) {
      const service = p % size.services;
      const podName = `svc-${service}-0`;
      const name = findWorkload(clients[0]!, podName);
      const before = clients.map((client) => client.bytes);
      let pending = clients.length;
      let last = 0;
      const allSeen = new Promise<void>((resolve) => {
        for (const client of clients)
          client.watch(name, (at) => {
            last = Math.max(last, at);
            if (--pending === 0) resolve();
          });
      });
      const file = generateMeshFiles(size, (s, pod) => (s === service && pod === 0 ? `bench-${p}` : `v${pod % 2}`))[service + 1]!;
      const t0 = performance.now();
      // Written beside and renamed into place, as config sync tools do, so that no reader sees half a file.
      await writeFile(join(configDir, `.${file.name}.tmp`), meshFileText(file));
      await rename(join(configDir, `.${file.name}.tmp`), join(configDir, file.name));
      await withTimeout(allSeen, `push ${p} to reach every client`);
      pushes.push(last - t0);
      pushBytes = clients.reduce((sum, client, i) => sum + client.bytes - before[i]!, 0) / clients.length;
    }
    const rssMiB = await rssOf(controlPlane.child.pid!);
    const heapMiB = await heapUsedMiB(controlPlane.admin);
    return {
      label,
      workloads: size.services * size.podsPerService,
      addresses,
      startMs,
      joinMs: median(joins),
      fullSyncBytes,
      pushP50Ms: percentile(pushes, 0.5),
      pushP99Ms: percentile(pushes, 0.99),
      pushBytes,
      rssMiB,
      heapMiB,
    };
  } finally {
    for (const client of clients) client.client.close();
    await stop(controlPlane.child);
    await rm(root, { recursive: true, force: true });
  }
}

/** The uid of a pod's workload as the control plane names it, found among what a client holds. */
function findWorkload(client: BenchClient, podName: string): string {
  for (const name of client.addresses) if (name.endsWith(`/${podName}`)) return name;
  throw new Error(`no workload named ${podName} among ${client.addresses.size} addresses`);
}

function clientCredentials(ca: CertificateAuthority): XdsClientCredentials {
  const { privateKey } = generateKeyPair();
  const identity = SpiffeId.parse(ZTUNNEL);
  const signed = ca.sign(createCsr(privateKey, identity), { identity });
  return new XdsClientCredentials({ certChain: signed.certChain, privateKey: privateKeyToPem(privateKey), trustBundle: ca.trustBundle(), serverIdentities: [CONTROL_PLANE] });
}

function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function printTable(results: readonly ScenarioResult[]): void {
  const base = results[0]!;
  const ms = (value: number): string => value.toFixed(1);
  const kib = (value: number): string => (value / 1024).toFixed(1);
  const cell = (value: string, of: number, baseValue: number, r: ScenarioResult): string => (r === base ? value : `${value} (${(of / baseValue).toFixed(2)}×)`);
  const row = (measure: string, pick: (r: ScenarioResult) => number, format: (value: number) => string): string =>
    `| ${measure} | ${results.map((r) => cell(format(pick(r)), pick(r), pick(base), r)).join(' | ')} |`;
  console.log(`xds-push — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, ${CLIENTS} clients, ${PUSHES} pushes, ${JOINS} joins${quick ? ' (--quick)' : ''}`);
  console.log('');
  console.log(`| measure (ratio to the baseline) | ${results.map((r) => r.label).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---').join('|')}|`);
  console.log(`| workloads / addresses served | ${results.map((r) => `${r.workloads} / ${r.addresses}`).join(' | ')} |`);
  console.log(row('start to ready, ms', (r) => r.startMs, ms));
  console.log(row("new client's full sync, ms (median)", (r) => r.joinMs, ms));
  console.log(row('full sync, KiB per client', (r) => r.fullSyncBytes, kib));
  console.log(row('one pod change → all clients, p50 ms', (r) => r.pushP50Ms, ms));
  console.log(row('one pod change → all clients, p99 ms', (r) => r.pushP99Ms, ms));
  console.log(row('one pod change, KiB per client', (r) => r.pushBytes, kib));
  console.log(row(`control-plane RSS with ${CLIENTS} clients, MiB`, (r) => r.rssMiB, (v) => v.toFixed(0)));
  console.log(row(`control-plane JS heap in use with ${CLIENTS} clients, MiB`, (r) => r.heapMiB, (v) => v.toFixed(0)));
}

await main();
