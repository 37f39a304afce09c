import { cpus, loadavg } from 'node:os';
import { DEFAULT_HTTP2, TUNED_HTTP2 } from '@ambit/hbone';
import { Topology, type BulkResult, type Path } from './hbone/topology.js';

/**
 * HBONE in the topology of issue #4 — client → ztunnel A → ztunnel B → server, each its
 * own process — against direct TCP, one and two plain TCP relays, and two hops joined
 * by TLS alone, all measured in the same run and interleaved round by round: bulk
 * upload (throughput and CPU per GiB), sequential 100-byte round trips on an open
 * connection, and a new connection plus one round trip (through HBONE: a new tunnel on
 * the pooled connection).
 *
 * `--quick` for a short run. Environment: AMBIT_BENCH_BULK_MB (per upload),
 * AMBIT_BENCH_ROUNDS, AMBIT_BENCH_CHUNK_KB (the client's writes), AMBIT_BENCH_PATHS
 * (comma-separated words: only the paths whose name holds one, and the baseline),
 * AMBIT_BENCH_PROF_DIR (the hops run with --cpu-prof, profiles written there),
 * AMBIT_BENCH_HBONE_BEFORE (other builds of @ambit/hbone, comma-separated paths to their
 * entry modules: the tuned path again with each, to compare versions in one run),
 * AMBIT_BENCH_VARIANTS ('name:K=V,K=V;…': the tuned path again, its hops run with that
 * extra environment).
 */
const quick = process.argv.includes('--quick');
const env = (name: string, full: number, short: number): number => Number(process.env[name] ?? (quick ? short : full));
const bulkBytes = env('AMBIT_BENCH_BULK_MB', 256, 64) * 1024 * 1024;
const rounds = env('AMBIT_BENCH_ROUNDS', 9, 3);
const chunkBytes = env('AMBIT_BENCH_CHUNK_KB', 64, 64) * 1024;
const roundTripsPerRound = Math.ceil((quick ? 900 : 4500) / rounds);
const opensPerRound = Math.ceil((quick ? 300 : 900) / rounds);
const only = process.env['AMBIT_BENCH_PATHS']?.split(',');
const profileDir = process.env['AMBIT_BENCH_PROF_DIR'];
const before = process.env['AMBIT_BENCH_HBONE_BEFORE'];

const TUNED: Path = { name: 'HBONE, 2 ztunnels, tuned', hops: ['hbone-out', 'hbone-in'], tuning: TUNED_HTTP2 };
const all: Path[] = [
  { name: 'direct TCP (baseline)', hops: [] },
  { name: 'TCP relay, 1 hop', hops: ['tcp'] },
  { name: 'TCP relays, 2 hops', hops: ['tcp', 'tcp'] },
  { name: 'TLS between 2 hops', hops: ['tls-out', 'tls-in'] },
  { name: 'HBONE, 2 ztunnels, HTTP/2 defaults', hops: ['hbone-out', 'hbone-in'], tuning: DEFAULT_HTTP2 },
  TUNED,
];
for (const build of before?.split(',') ?? []) all.push({ ...TUNED, name: `${TUNED.name}, ${build}`, hboneModule: build });
for (const variant of process.env['AMBIT_BENCH_VARIANTS']?.split(';') ?? []) {
  const [name = '', settings = ''] = variant.split(':');
  const extra = Object.fromEntries(settings.split(',').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
  all.push({ ...TUNED, name: `${TUNED.name}, ${name}`, env: extra });
}
const paths = all.filter((path, index) => index === 0 || only === undefined || only.some((word) => path.name.includes(word)));

const median = (values: readonly number[]): number => percentile(values, 50);
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

interface Figures {
  readonly bulk: BulkResult[];
  readonly rtt: number[];
  readonly open: number[];
}

const topology = await Topology.create({ bulkBytes, chunkBytes, hopExecArgv: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
try {
  const started = [];
  for (const path of paths) started.push(await topology.start(path));
  // A warm-up round (JIT, windows opening, the pooled HBONE connection), not counted.
  for (const path of started) {
    await topology.bulk(path);
    await topology.roundTrips(path, roundTripsPerRound);
  }
  const figures: Figures[] = paths.map(() => ({ bulk: [], rtt: [], open: [] }));
  for (let round = 0; round < rounds; round++) {
    for (const [index, path] of started.entries()) {
      const own = figures[index]!;
      own.bulk.push(await topology.bulk(path));
      own.rtt.push(...(await topology.roundTrips(path, roundTripsPerRound)));
      own.open.push(...(await topology.newConnections(path, opensPerRound)));
    }
  }

  console.log(
    `hbone — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, ` +
      `bulk ${bulkBytes / 1024 / 1024} MiB × ${rounds} rounds in ${chunkBytes / 1024} KiB writes, ${roundTripsPerRound * rounds} round trips, ` +
      `${opensPerRound * rounds} new connections, load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    '| path | bulk MB/s | vs direct TCP | CPU s/GiB, each hop | CPU s/GiB, whole path | 100 B RTT p50 µs | p99 µs | added p50 µs | new conn + RTT p50 µs | added p50 µs |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const baseline = figures[0]!;
  for (const [index, path] of paths.entries()) {
    const { bulk, rtt, open } = figures[index]!;
    const ratio = median(bulk.map((result, round) => result.mbPerSecond / baseline.bulk[round]!.mbPerSecond));
    const hops = path.hops.map((_, hop) => median(bulk.map((result) => result.hopCpuPerGiB[hop]!)).toFixed(2)).join(' + ') || '—';
    const cells = [
      path.name,
      median(bulk.map((result) => result.mbPerSecond)).toFixed(0),
      `**${ratio.toFixed(2)}×**`,
      hops,
      median(bulk.map((result) => result.pathCpuPerGiB)).toFixed(2),
      median(rtt).toFixed(0),
      percentile(rtt, 99).toFixed(0),
      (median(rtt) - median(baseline.rtt)).toFixed(0),
      median(open).toFixed(0),
      (median(open) - median(baseline.open)).toFixed(0),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(`bulk MB/s by round: ${paths.map((path, index) => `${path.name}: ${figures[index]!.bulk.map((result) => result.mbPerSecond.toFixed(0)).join(' ')}`).join('; ')}`);
} finally {
  await topology.stop();
}
