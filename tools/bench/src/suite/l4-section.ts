import { freePort, rssOf } from '../control-plane-process.js';
import { connectTo, type Endpoint } from '../l4-client.js';
import { Histogram } from './histogram.js';
import { bulk, httpRequests, newConnectionLatency, newConnectionRate, requestResponse, withOpenConnections, type BulkFigures, type L4Path, type RateFigures } from './l4-load.js';
import { MESH_ADDRESSES, SERVER_HTTP_PORT, SERVER_TCP_PORT, startLocalMesh } from './local-mesh.js';
import { Origin } from './origin.js';
import { startHaproxy, type RunningProxy } from './proxies.js';
import { median, type Section, type SectionResult, type SuiteContext } from './section.js';
import { socks5Connect } from './socks5-client.js';
import { num, ratio, type Cell, type Table } from './table.js';
import { missing } from './tools.js';

/**
 * L4: the real mesh (`ambitctl local up`: control plane, two ztunnels, node tokens) beside
 * direct TCP and one haproxy TCP hop, all to the same origin process on the server pod's
 * address. Paths are interleaved round by round for bulk; each other load runs path after
 * path with the same settings.
 */
const SERVER_TCP: Endpoint = { ip: MESH_ADDRESSES.server, port: SERVER_TCP_PORT };
const SERVER_HTTP: Endpoint = { ip: MESH_ADDRESSES.server, port: SERVER_HTTP_PORT };
const OPEN_CONNECTIONS = 1000;
const RR_RATE = 1000;
const HTTP_RATE = 1000;

interface Sizes {
  readonly bulkMiB: number;
  readonly bulkRounds: number;
  readonly rateMs: number;
  readonly newConnections: number;
  readonly connectionRateMs: number;
}

const FULL: Sizes = { bulkMiB: 256, bulkRounds: 5, rateMs: 20_000, newConnections: 1000, connectionRateMs: 5000 };
const QUICK: Sizes = { bulkMiB: 64, bulkRounds: 2, rateMs: 3000, newConnections: 150, connectionRateMs: 1500 };

type PathKey = 'direct' | 'haproxy' | 'ztunnel';

interface PathFigures {
  bulk: BulkFigures[];
  rr?: RateFigures;
  http?: RateFigures;
  open?: Histogram;
  openRate?: number;
}

export const l4Section: Section = {
  name: 'L4',
  async run(context: SuiteContext): Promise<SectionResult> {
    const sizes = context.quick ? QUICK : FULL;
    const origin = await Origin.start({ tcp: SERVER_TCP, http: SERVER_HTTP });
    let haproxy: RunningProxy | undefined;
    let mesh: Awaited<ReturnType<typeof startLocalMesh>> | undefined;
    const notes: string[] = [];
    try {
      const haproxySkip = missing(context.tools, 'haproxy');
      if (haproxySkip === undefined) {
        haproxy = await startHaproxy(context.tools.haproxy.path!, `${context.dir}/haproxy`, [
          { name: 'tcp', mode: 'tcp', port: await freePort(), backend: SERVER_TCP },
          { name: 'tcp_http', mode: 'tcp', port: await freePort(), backend: SERVER_HTTP },
        ]);
      } else notes.push(`haproxy column ${haproxySkip}`);
      context.log('starting the mesh: ambitctl local up (control plane, 2 ztunnels)');
      mesh = await startLocalMesh(`${context.dir}/mesh`);
      const zt = [mesh.ztunnelPids.nodeA, mesh.ztunnelPids.nodeB];
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const idleRss = await Promise.all(zt.map(rssOf));
      const socks5 = mesh.socks5;
      const paths = new Map<PathKey, { tcp: L4Path; http: L4Path }>();
      paths.set('direct', { tcp: { name: 'direct', dial: () => connectTo(SERVER_TCP), pids: [] }, http: { name: 'direct', dial: () => connectTo(SERVER_HTTP), pids: [] } });
      if (haproxy !== undefined) {
        const { tcp, tcp_http } = haproxy.listeners;
        const pid = [haproxy.process.pid];
        paths.set('haproxy', { tcp: { name: 'haproxy', dial: () => connectTo(tcp!), pids: pid }, http: { name: 'haproxy', dial: () => connectTo(tcp_http!), pids: pid } });
      }
      paths.set('ztunnel', {
        tcp: { name: 'ztunnel', dial: () => socks5Connect(socks5, { host: SERVER_TCP.ip, port: SERVER_TCP.port }), pids: zt },
        http: { name: 'ztunnel', dial: () => socks5Connect(socks5, { host: SERVER_HTTP.ip, port: SERVER_HTTP.port }), pids: zt },
      });
      const figures = new Map<PathKey, PathFigures>([...paths.keys()].map((key) => [key, { bulk: [] }]));

      context.log(`ztunnel RSS with ${OPEN_CONNECTIONS} open tunnelled connections`);
      const openRss = await withOpenConnections(paths.get('ztunnel')!.tcp, OPEN_CONNECTIONS, 50, async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return Promise.all(zt.map(rssOf));
      });
      const haproxyOpenRss = haproxy === undefined ? undefined : await withOpenConnections(paths.get('haproxy')!.tcp, OPEN_CONNECTIONS, 50, () => rssOf(haproxy!.process.pid));

      for (const { tcp } of paths.values()) {
        await bulk(tcp, 16 * 1024 * 1024);
        await newConnectionLatency(tcp, 20);
      }
      context.log(`bulk: ${sizes.bulkRounds} rounds × ${sizes.bulkMiB} MiB per path, interleaved`);
      for (let round = 0; round < sizes.bulkRounds; round++) {
        for (const [key, { tcp }] of paths) figures.get(key)!.bulk.push(await bulk(tcp, sizes.bulkMiB * 1024 * 1024));
      }
      for (const [key, { tcp, http }] of paths) {
        const own = figures.get(key)!;
        context.log(`${key}: 100 B request/response at ${RR_RATE}/s, HTTP/1.1 1 KiB at ${HTTP_RATE}/s, new connections`);
        own.rr = await requestResponse(tcp, { ratePerSecond: RR_RATE, durationMs: sizes.rateMs, connections: 4 });
        own.http = await httpRequests(http, `${SERVER_HTTP.ip}:${SERVER_HTTP.port}`, { ratePerSecond: HTTP_RATE, durationMs: sizes.rateMs, connections: 4 });
        own.open = await newConnectionLatency(tcp, sizes.newConnections);
        own.openRate = (await newConnectionRate(tcp, sizes.connectionRateMs, 16)).perSecond;
      }
      return report(figures, { idleRss, openRss, haproxyOpenRss, sizes, notes });
    } finally {
      await mesh?.stop();
      await haproxy?.process.stop();
      await origin.stop();
    }
  },
};

interface Extras {
  readonly idleRss: readonly number[];
  readonly openRss: readonly number[];
  readonly haproxyOpenRss: number | undefined;
  readonly sizes: Sizes;
  readonly notes: readonly string[];
}

function report(figures: ReadonlyMap<PathKey, PathFigures>, extras: Extras): SectionResult {
  const get = (key: PathKey): PathFigures | undefined => figures.get(key);
  const mbps = (key: PathKey): number | undefined => (get(key) === undefined ? undefined : median(get(key)!.bulk.map((b) => b.mbPerSecond)));
  // Bulk ratios are taken round by round (paths interleaved), then the median.
  const bulkRatio = (key: PathKey): number | undefined => {
    const own = get(key);
    const base = get('direct')!;
    return own === undefined ? undefined : median(own.bulk.map((b, round) => b.mbPerSecond / base.bulk[round]!.mbPerSecond));
  };
  const pct = (key: PathKey, which: 'rr' | 'http', p: number): number | undefined => get(key)?.[which]?.run.latency.percentile(p);
  const openP50 = (key: PathKey): number | undefined => get(key)?.open?.percentile(50);
  const row = (measure: string, pick: (key: PathKey) => number | undefined, digits = 0, ratioOf: (key: PathKey) => string = (key) => ratio(pick(key), pick('direct'))): Cell[] => [
    measure,
    ratioOf('ztunnel'),
    ratioOf('haproxy'),
    num(pick('ztunnel'), digits),
    num(pick('haproxy'), digits),
    num(pick('direct'), digits),
  ];
  const bulkRatioCell = (key: PathKey): string => (bulkRatio(key) === undefined ? '—' : `**${bulkRatio(key)!.toFixed(2)}×**`);
  const { sizes } = extras;
  const seconds = sizes.rateMs / 1000;
  const added = (value: number | undefined, base: number | undefined): string => (value === undefined || base === undefined ? '—' : `+${num(value - base)}`);
  const rrAdded = (pct('ztunnel', 'rr', 50) ?? Number.NaN) - (pct('direct', 'rr', 50) ?? Number.NaN);
  const openAdded = (openP50('ztunnel') ?? Number.NaN) - (openP50('direct') ?? Number.NaN);
  const lagP99 = Math.max(...[...figures.values()].map((f) => f.rr?.run.schedulerLag.percentile(99) ?? 0));
  const unfinished = [...figures.entries()].flatMap(([key, f]) => (f.rr === undefined ? [] : [[key, f.rr.run.failed + f.rr.run.unfinished, f.http!.run.failed + f.http!.run.unfinished] as const])).filter(([, a, b]) => a + b > 0);

  const pathsTable: Table = {
    title: 'L4: client → SOCKS5 entry → ztunnel (node-a) → HBONE mTLS → ztunnel (node-b) → server, beside direct TCP and one haproxy TCP hop',
    columns: ['measure', '2 ztunnels ÷ direct', 'haproxy ÷ direct', '2 ztunnels (HBONE mTLS)', 'haproxy TCP, 1 hop', 'direct TCP (baseline)'],
    rows: [
      row(`bulk upload, MB/s (median of ${sizes.bulkRounds} × ${sizes.bulkMiB} MiB)`, mbps, 0, bulkRatioCell),
      row(`100 B request/response at ${RR_RATE}/s for ${seconds} s, p50 µs`, (k) => pct(k, 'rr', 50)),
      row('… p90 µs', (k) => pct(k, 'rr', 90)),
      row('… p99 µs', (k) => pct(k, 'rr', 99)),
      row('… p99.9 µs', (k) => pct(k, 'rr', 99.9)),
      ['… added p50 µs vs direct', '', '', added(pct('ztunnel', 'rr', 50), pct('direct', 'rr', 50)), added(pct('haproxy', 'rr', 50), pct('direct', 'rr', 50)), '0'],
      row(`new connection + 1 round trip, p50 µs (${sizes.newConnections} in turn; ztunnel: SOCKS5 + a stream on the pooled HBONE connection)`, openP50),
      ['… added p50 µs vs direct', '', '', added(openP50('ztunnel'), openP50('direct')), added(openP50('haproxy'), openP50('direct')), '0'],
      row(`new connections/s (connect + 1 round trip + close, 16 at a time, ${sizes.connectionRateMs / 1000} s)`, (k) => get(k)?.openRate),
      row(`HTTP/1.1 GET, 1 KiB answer, at ${HTTP_RATE}/s over 4 keep-alive connections, p50 µs`, (k) => pct(k, 'http', 50)),
      row('… p99 µs', (k) => pct(k, 'http', 99)),
    ],
    notes: [
      'Latency under constant load is measured from each request\'s intended send time (no coordinated omission); ' +
        `the generator's own timer lateness is excluded and was ≤ ${num(lagP99)} µs at p99.`,
      ...(unfinished.length === 0 ? [] : [`failed or unanswered requests (RR, HTTP): ${unfinished.map(([key, a, b]) => `${key} ${a}, ${b}`).join('; ')}`]),
      ...extras.notes,
    ],
  };

  const zt = get('ztunnel')!;
  const cpuPerGiB = [0, 1].map((i) => median(zt.bulk.map((b) => b.cpuPerGiB[i]!)));
  const haproxy = get('haproxy');
  const haproxyCpuPerGiB = haproxy === undefined ? undefined : median(haproxy.bulk.map((b) => b.cpuPerGiB[0]!));
  const resourcesTable: Table = {
    title: 'ztunnel resources (each ztunnel is one process; CPU from /proc/<pid>/stat), beside haproxy doing the same work in one TCP hop',
    columns: ['measure', 'busier ztunnel ÷ haproxy', 'ztunnel node-a (outbound)', 'ztunnel node-b (inbound)', 'haproxy TCP (baseline)'],
    rows: [
      ['CPU s per GiB (bulk)', ratio(Math.max(...cpuPerGiB), haproxyCpuPerGiB), num(cpuPerGiB[0], 2), num(cpuPerGiB[1], 2), num(haproxyCpuPerGiB, 2)],
      ['CPU s per 1,000 requests (100 B RR)', ratio(Math.max(...zt.rr!.cpuPer1000), haproxy?.rr?.cpuPer1000[0]), num(zt.rr!.cpuPer1000[0], 3), num(zt.rr!.cpuPer1000[1], 3), num(haproxy?.rr?.cpuPer1000[0], 3)],
      [`vCPU per 1,000 requests/s of 1 KiB HTTP/1.1 (at ${HTTP_RATE}/s)`, ratio(Math.max(...zt.http!.vcpu), haproxy?.http?.vcpu[0]), num(zt.http!.vcpu[0], 3), num(zt.http!.vcpu[1], 3), num(haproxy?.http?.vcpu[0], 3)],
      ['RSS idle, MiB', '—', num(extras.idleRss[0]), num(extras.idleRss[1]), '—'],
      [`RSS with ${OPEN_CONNECTIONS.toLocaleString('en-US')} open tunnelled connections, MiB`, ratio(Math.max(...extras.openRss), extras.haproxyOpenRss), num(extras.openRss[0]), num(extras.openRss[1]), num(extras.haproxyOpenRss)],
    ],
  };

  const result: Record<string, number> = {};
  const put = (key: string, value: number | undefined): void => {
    if (value !== undefined && Number.isFinite(value)) result[key] = value;
  };
  put('l4.bulk.ztunnelMBps', mbps('ztunnel'));
  put('l4.bulk.directMBps', mbps('direct'));
  put('l4.bulk.ratio', bulkRatio('ztunnel'));
  put('l4.rr.addedP50Us', rrAdded);
  put('l4.newConnection.addedP50Us', openAdded);
  put('l4.http.vcpuPer1000rps', Math.max(...zt.http!.vcpu) / (HTTP_RATE / 1000));
  put('l4.rss.open1000MiB', Math.max(...extras.openRss));
  put('l4.rss.idleMiB', Math.max(...extras.idleRss));
  for (const key of ['direct', 'haproxy', 'ztunnel'] as const) {
    put(`l4.rr.${key}.p50Us`, pct(key, 'rr', 50));
    put(`l4.rr.${key}.p99Us`, pct(key, 'rr', 99));
    put(`l4.rr.${key}.p999Us`, pct(key, 'rr', 99.9));
    put(`l4.newConnection.${key}.perSecond`, get(key)?.openRate);
  }
  return { tables: [pathsTable, resourcesTable], figures: result };
}
