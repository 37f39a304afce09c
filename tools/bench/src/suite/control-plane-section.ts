import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from '../xds-push.js';
import { ManagedProcess } from './managed-process.js';
import type { Section, SectionResult, SuiteContext } from './section.js';
import { num, ratio, type Table } from './table.js';

/**
 * The control plane, by running the existing benchmarks as child steps with the suite's
 * sizes and reading the JSON they write: `xds-push` (full sync, change propagation, bytes
 * per change, RSS) and `ca-grpc` (CSRs signed per second over the wire).
 */
const DIST = fileURLToPath(new URL('..', import.meta.url));

interface XdsReport {
  readonly clients: number;
  readonly pushes: number;
  readonly joins: number;
  readonly scenarios: readonly ScenarioResult[];
}

interface CaReport {
  readonly csrs: number;
  readonly libraryPerSecond: number;
  readonly grpc: readonly { concurrency: number; perSecond: number; p50Ms: number; p99Ms: number }[];
}

const XDS_FULL = { AMBIT_BENCH_XDS_SERVICES: '100,1000', AMBIT_BENCH_XDS_CLIENTS: '100', AMBIT_BENCH_XDS_PUSHES: '20', AMBIT_BENCH_XDS_JOINS: '3' };
const XDS_QUICK = { AMBIT_BENCH_XDS_SERVICES: '100', AMBIT_BENCH_XDS_CLIENTS: '10', AMBIT_BENCH_XDS_PUSHES: '5', AMBIT_BENCH_XDS_JOINS: '1' };

async function step<T>(context: SuiteContext, script: string, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<T> {
  const out = join(context.dir, `${script}.json`);
  const args = [join(DIST, `${script}.js`), ...(context.quick ? ['--quick'] : [])];
  const child = new ManagedProcess(script, process.execPath, args, { ...process.env, ...env, AMBIT_BENCH_JSON_OUT: out, AMBIT_BENCH_XDS_DEBOUNCE0: '0' });
  await child.runToEnd(timeoutMs);
  return JSON.parse(await readFile(out, 'utf8')) as T;
}

export const controlPlaneSection: Section = {
  name: 'control plane',
  async run(context: SuiteContext): Promise<SectionResult> {
    context.log('control plane: ca-grpc');
    const ca = await step<CaReport>(context, 'ca-grpc', {}, 5 * 60_000);
    context.log('control plane: xds-push');
    const xds = await step<XdsReport>(context, 'xds-push', context.quick ? XDS_QUICK : XDS_FULL, 12 * 60_000);
    const [base, ...sized] = xds.scenarios;
    const biggest = sized[sized.length - 1]!;
    const columns = [...sized].reverse();
    const row = (measure: string, pick: (r: ScenarioResult) => number, digits = 0): string[] => [measure, ratio(pick(biggest), pick(base!)), ...columns.map((r) => num(pick(r), digits)), num(pick(base!), digits)];
    const xdsTable: Table = {
      title: `Control plane: the real binary serving ${xds.clients} delta-xDS clients (mTLS), ${xds.pushes} one-pod changes, ${xds.joins} joins (npm run bench:xds)`,
      columns: ['measure', `${biggest.workloads.toLocaleString('en-US')} workloads ÷ 1 pod`, ...columns.map((r) => `${r.workloads.toLocaleString('en-US')} workloads`), '1 pod (baseline)'],
      rows: [
        row("a new client's full sync, ms", (r) => r.joinMs, 1),
        row('full sync, KiB per client', (r) => r.fullSyncBytes / 1024, 1),
        row('one pod change → all clients, p50 ms', (r) => r.pushP50Ms, 1),
        row('one pod change → all clients, p99 ms', (r) => r.pushP99Ms, 1),
        row('one pod change, KiB per client', (r) => r.pushBytes / 1024, 2),
        row(`control-plane RSS with ${xds.clients} clients, MiB`, (r) => r.rssMiB),
        row('control-plane JS heap in use, MiB', (r) => r.heapMiB),
        row('start to ready, ms', (r) => r.startMs),
      ],
      notes: ['Change propagation includes the default 100 ms debounce (Istio\'s PILOT_DEBOUNCE_AFTER).'],
    };
    const caTable: Table = {
      title: `Mesh CA over gRPC: ${ca.csrs.toLocaleString('en-US')} CSRs, token-authenticated node (npm run bench:ca)`,
      columns: ['path', 'rate ÷ library', 'CSRs/s', 'latency p50 / p99 ms'],
      rows: [
        ['`CertificateAuthority.sign` in process (baseline)', '1.00×', num(ca.libraryPerSecond), '—'],
        ...ca.grpc.map((g) => [`gRPC, ${g.concurrency} in flight`, ratio(g.perSecond, ca.libraryPerSecond), num(g.perSecond), `${num(g.p50Ms, 1)} / ${num(g.p99Ms, 1)}`]),
      ],
    };
    return {
      tables: [xdsTable, caTable],
      figures: {
        'cp.workloads': biggest.workloads,
        'cp.clients': xds.clients,
        'cp.fullSyncMs': biggest.joinMs,
        'cp.pushP99Ms': biggest.pushP99Ms,
        'cp.pushBytesRatio': biggest.pushBytes / base!.pushBytes,
        'cp.rssMiB': biggest.rssMiB,
        'ca.csrPerSecond': Math.max(...ca.grpc.map((g) => g.perSecond)),
      },
    };
  },
};
