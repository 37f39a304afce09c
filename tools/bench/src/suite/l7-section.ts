import { once } from 'node:events';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { freePort, rssOf } from '../control-plane-process.js';
import { connectTo, type Endpoint } from '../l4-client.js';
import { httpRequests, type RateFigures } from './l4-load.js';
import { h2loadSaturation, http2AtRate, wrkSaturation, type SaturationFigures } from './l7-load.js';
import { startL7Mesh, type L7Mesh } from './l7-mesh.js';
import { MESH_ADDRESSES, SERVER_HTTP_PORT } from './local-mesh.js';
import { startHaproxy, startNginx, type RunningProxy } from './proxies.js';
import type { Section, SectionResult, SuiteContext } from './section.js';
import { num, ratio, type Cell, type Table } from './table.js';
import { missing, type ToolName } from './tools.js';

/**
 * L7: HTTP/1.1 and HTTP/2 with 1 KiB answers from an nginx origin on the mesh's server
 * pod address, at a fixed offered rate (our constant-rate generator) and at saturation
 * (wrk, h2load), straight to the origin and through each proxy. Every path is one entry
 * of `TARGETS`; the Ambit paths share one mesh (`l7-mesh.ts`), started at the first.
 */
interface ProxyProcess {
  /** How the table names it: `haproxy`, `gateway`, `waypoint`, `ztunnel`. */
  readonly name: string;
  readonly pid: number;
}

interface StartedTarget {
  readonly h1: Endpoint;
  readonly h2: Endpoint;
  /** TLS on both endpoints (ALPN http/1.1 or h2): the certificate is not verified. */
  readonly tls?: boolean;
  /** The processes on the path (CPU and RSS are read from them), in path order. */
  readonly processes: readonly ProxyProcess[];
  stop(): Promise<void>;
}

interface Shared {
  /** The L7 mesh, started on first use and stopped when the section ends. */
  mesh(): Promise<L7Mesh>;
}

interface L7Target {
  readonly name: string;
  /** Names its figures (`l7.<key>.…`). */
  readonly key: string;
  readonly needs: readonly ToolName[];
  /** Absent: the direct row (the origin itself). */
  readonly start?: (context: SuiteContext, origin: Endpoint, shared: Shared) => Promise<StartedTarget>;
}

const inMesh = (pick: (mesh: L7Mesh) => Endpoint, tls: boolean, names: readonly ('gateway' | 'waypoint' | 'ztunnel')[]) =>
  async (_context: SuiteContext, _origin: Endpoint, shared: Shared): Promise<StartedTarget> => {
    const mesh = await shared.mesh();
    const pids = { gateway: mesh.gatewayPid, waypoint: mesh.waypointPid, ztunnel: mesh.serverZtunnelPid };
    const endpoint = pick(mesh);
    return { h1: endpoint, h2: endpoint, tls, processes: names.map((name) => ({ name, pid: pids[name] })), stop: async () => undefined };
  };

const TARGETS: readonly L7Target[] = [
  { name: 'direct to the origin (baseline)', key: 'direct', needs: [] },
  {
    name: 'haproxy, HTTP mode (1 thread)',
    key: 'haproxy',
    needs: ['haproxy'],
    start: async (context, origin) => {
      const proxy = await startHaproxy(context.tools.haproxy.path!, `${context.dir}/haproxy`, [
        { name: 'h1', mode: 'h1', port: await freePort(), backend: origin },
        { name: 'h2', mode: 'h2', port: await freePort(), backend: origin },
      ]);
      return started('haproxy', proxy);
    },
  },
  {
    name: 'nginx reverse proxy (1 worker)',
    key: 'nginx',
    needs: ['nginx'],
    start: async (context, origin) =>
      started('nginx', await startNginx(context.tools.nginx.path!, `${context.dir}/nginx-proxy`, { role: 'proxy', upstream: origin, ports: { h1: await freePort(), h2: await freePort() } })),
  },
  { name: 'Ambit ingress gateway (→ ztunnel → app)', key: 'gateway', needs: [], start: inMesh((mesh) => mesh.gatewayPorts.http, false, ['gateway', 'ztunnel']) },
  { name: 'Ambit ingress gateway, TLS termination (→ ztunnel → app)', key: 'gatewayTls', needs: [], start: inMesh((mesh) => mesh.gatewayPorts.https, true, ['gateway', 'ztunnel']) },
  { name: 'Ambit gateway → waypoint → ztunnel → app', key: 'fullPath', needs: [], start: inMesh((mesh) => mesh.gatewayPorts.httpViaWaypoint, false, ['gateway', 'waypoint', 'ztunnel']) },
];

function started(name: string, proxy: RunningProxy): StartedTarget {
  return { h1: proxy.listeners['h1']!, h2: proxy.listeners['h2']!, processes: [{ name, pid: proxy.process.pid }], stop: () => proxy.process.stop() };
}

interface Sizes {
  readonly rateMs: number;
  readonly saturationSeconds: number;
  readonly warmUpSeconds: number;
}
const FULL: Sizes = { rateMs: 10_000, saturationSeconds: 10, warmUpSeconds: 3 };
const QUICK: Sizes = { rateMs: 1500, saturationSeconds: 1, warmUpSeconds: 1 };
const RATE = 1000;
const SATURATION_CONNECTIONS = 32;
/** The origin's h2c port on the server pod address, beside its HTTP/1.1 port (the one the mesh's services name). */
const ORIGIN_H2_PORT = SERVER_HTTP_PORT + 2;

interface TargetFigures {
  processes: readonly ProxyProcess[];
  h1Rate?: RateFigures;
  h2Rate?: RateFigures;
  h1Saturation?: SaturationFigures;
  h2Saturation?: SaturationFigures;
  /** Per process, after all the loads. */
  rssMiB?: readonly number[];
  skipped?: string;
}

export const l7Section: Section = {
  name: 'L7',
  async run(context: SuiteContext): Promise<SectionResult> {
    const sizes = context.quick ? QUICK : FULL;
    const noOrigin = missing(context.tools, 'nginx');
    if (noOrigin !== undefined) return { tables: [table(new Map(), sizes, [`every L7 row ${noOrigin}: nginx serves the origin`])], figures: {} };
    const origin = await startNginx(context.tools.nginx.path!, `${context.dir}/nginx-origin`, { role: 'origin', ip: MESH_ADDRESSES.server, ports: { h1: SERVER_HTTP_PORT, h2: ORIGIN_H2_PORT } });
    const figures = new Map<string, TargetFigures>();
    let mesh: Promise<L7Mesh> | undefined;
    const shared: Shared = {
      mesh: () => {
        if (mesh === undefined) {
          context.log('starting the L7 mesh: ambitctl local up (control plane, 2 ztunnels, waypoint, ingress gateway)');
          mesh = startL7Mesh(`${context.dir}/mesh`, SERVER_HTTP_PORT);
        }
        return mesh;
      },
    };
    try {
      const originH1 = origin.listeners['h1']!;
      for (const target of TARGETS) {
        const skip = missing(context.tools, ...target.needs);
        if (skip !== undefined) {
          figures.set(target.key, { processes: [], skipped: skip });
          continue;
        }
        context.log(`L7: ${target.name}`);
        try {
          const running: StartedTarget =
            target.start === undefined
              ? { h1: originH1, h2: origin.listeners['h2']!, processes: [{ name: 'nginx', pid: origin.process.pid }], stop: async () => undefined }
              : await target.start(context, originH1, shared);
          try {
            figures.set(target.key, await measure(context, running, sizes));
          } finally {
            await running.stop();
          }
        } catch (error) {
          // One path failing (the mesh not starting, a tool) must not lose the others' rows.
          const message = (error as Error).message.split('\n')[0] ?? String(error);
          context.log(`L7: ${target.name} failed: ${(error as Error).message}`);
          figures.set(target.key, { processes: [], skipped: `failed: ${message}` });
        }
      }
    } finally {
      if (mesh !== undefined) await (await mesh.catch(() => undefined))?.stop();
      await origin.process.stop();
    }
    return { tables: [table(figures, sizes, [])], figures: results(figures) };
  },
};

async function measure(context: SuiteContext, target: StartedTarget, sizes: Sizes): Promise<TargetFigures> {
  const pids = target.processes.map((process) => process.pid);
  const tls = target.tls === true;
  const figures: TargetFigures = { processes: target.processes };
  const path = { name: 'l7', dial: () => (tls ? connectTlsTo(target.h1) : connectTo(target.h1)), pids };
  // Every path is first driven at saturation for a moment, so that the Node proxies' JIT and
  // HBONE pools are warm before anything counts (the same for the C proxies, where it is moot).
  if (missing(context.tools, 'wrk') === undefined) await wrkSaturation(context.tools.wrk.path!, target.h1, sizes.warmUpSeconds, SATURATION_CONNECTIONS, tls);
  figures.h1Rate = await httpRequests(path, `${target.h1.ip}:${target.h1.port}`, { ratePerSecond: RATE, durationMs: sizes.rateMs, connections: 4 });
  figures.h2Rate = await http2AtRate(target.h2, pids, { ratePerSecond: RATE, durationMs: sizes.rateMs, connections: 16 }, tls);
  if (missing(context.tools, 'wrk') === undefined) figures.h1Saturation = await wrkSaturation(context.tools.wrk.path!, target.h1, sizes.saturationSeconds, SATURATION_CONNECTIONS, tls);
  if (missing(context.tools, 'h2load') === undefined) figures.h2Saturation = await h2loadSaturation(context.tools.h2load.path!, target.h2, sizes.saturationSeconds, SATURATION_CONNECTIONS, tls);
  figures.rssMiB = await Promise.all(pids.map(rssOf));
  return figures;
}

/** A TLS connection offering only HTTP/1.1 (no SNI: the URL is an IP, as wrk's). */
async function connectTlsTo(endpoint: Endpoint): Promise<Socket> {
  const socket = connectTls({ host: endpoint.ip, port: endpoint.port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
  socket.setNoDelay(true);
  await once(socket, 'secureConnect');
  return socket;
}

const vcpuPer1000 = (own: TargetFigures, index: number): number | undefined => {
  const vcpu = own.h1Rate?.vcpu[index];
  return vcpu === undefined ? undefined : vcpu / (RATE / 1000);
};
const p50 = (own: TargetFigures | undefined): number | undefined => own?.h1Rate?.run.latency.percentile(50);

/** The named figures: per path and process, and those the targets of issue #5 read. */
function results(figures: ReadonlyMap<string, TargetFigures>): Record<string, number> {
  const result: Record<string, number> = {};
  const put = (key: string, value: number | undefined): void => {
    if (value !== undefined && Number.isFinite(value)) result[key] = value;
  };
  const base = figures.get('direct');
  for (const [key, own] of figures) {
    if (own.skipped !== undefined) continue;
    put(`l7.${key}.h1.saturationRps`, own.h1Saturation?.requestsPerSecond);
    put(`l7.${key}.h2.saturationRps`, own.h2Saturation?.requestsPerSecond);
    put(`l7.${key}.h1.p50Us`, p50(own));
    if (key !== 'direct') put(`l7.${key}.addedP50Us`, (p50(own) ?? Number.NaN) - (p50(base) ?? Number.NaN));
    own.processes.forEach((process, index) => {
      put(`l7.${key}.${process.name}.vcpuPer1000rps`, vcpuPer1000(own, index));
      put(`l7.${key}.${process.name}.rssMiB`, own.rssMiB?.[index]);
    });
  }
  put('l7.gateway.haproxyRatio', (figures.get('gateway')?.h1Saturation?.requestsPerSecond ?? Number.NaN) / (figures.get('haproxy')?.h1Saturation?.requestsPerSecond ?? Number.NaN));
  put('l7.waypoint.vcpuPer1000rps', result['l7.fullPath.waypoint.vcpuPer1000rps']);
  put('l7.waypoint.rssMiB', result['l7.fullPath.waypoint.rssMiB']);
  return result;
}

function table(figures: ReadonlyMap<string, TargetFigures>, sizes: Sizes, notes: readonly string[]): Table {
  const base = figures.get('direct');
  const rows: Cell[][] = TARGETS.map((target) => {
    const own = figures.get(target.key);
    if (own === undefined || own.skipped !== undefined) return [target.name, own?.skipped ?? 'not run'];
    const p = (rate: RateFigures | undefined, q: number): number | undefined => rate?.run.latency.percentile(q);
    const isBase = own === base;
    const each = (value: (index: number) => number | undefined, digits: number): string =>
      own.processes.length === 1 ? num(value(0), digits) : own.processes.map((process, index) => `${process.name} ${num(value(index), digits)}`).join(', ');
    return [
      target.name,
      ratio(own.h1Saturation?.requestsPerSecond, base?.h1Saturation?.requestsPerSecond),
      ratio(own.h2Saturation?.requestsPerSecond, base?.h2Saturation?.requestsPerSecond),
      num(own.h1Saturation?.requestsPerSecond),
      num(own.h2Saturation?.requestsPerSecond),
      `${num(p(own.h1Rate, 50))} / ${num(p(own.h1Rate, 99))}`,
      isBase ? '0' : `+${num((p(own.h1Rate, 50) ?? Number.NaN) - (p(base?.h1Rate, 50) ?? Number.NaN))}`,
      `${num(p(own.h2Rate, 50))} / ${num(p(own.h2Rate, 99))}`,
      isBase ? '(origin)' : each((index) => vcpuPer1000(own, index), 3),
      isBase ? '(origin)' : each((index) => own.rssMiB?.[index], 0),
    ];
  });
  const failures = [...figures.entries()].flatMap(([key, own]) =>
    [own.h1Saturation?.failed ?? 0, own.h2Saturation?.failed ?? 0, own.h1Rate ? own.h1Rate.run.failed + own.h1Rate.run.unfinished : 0, own.h2Rate ? own.h2Rate.run.failed + own.h2Rate.run.unfinished : 0].some((n) => n > 0)
      ? [`${key}: wrk non-2xx ${own.h1Saturation?.failed ?? 0}, h2load failed ${own.h2Saturation?.failed ?? 0}, at-rate failed or unanswered HTTP/1.1 ${own.h1Rate ? own.h1Rate.run.failed + own.h1Rate.run.unfinished : 0}, HTTP/2 ${own.h2Rate ? own.h2Rate.run.failed + own.h2Rate.run.unfinished : 0}`]
      : [],
  );
  return {
    title: 'L7: HTTP/1.1 and HTTP/2, 1 KiB answers from an nginx origin on the server pod address',
    columns: [
      'path',
      'HTTP/1.1 saturation ÷ direct',
      'HTTP/2 saturation ÷ direct',
      'HTTP/1.1 saturation req/s (wrk)',
      'HTTP/2 saturation req/s (h2load)',
      `HTTP/1.1 at ${RATE}/s, p50 / p99 µs`,
      'HTTP/1.1 added p50 µs',
      `HTTP/2 at ${RATE}/s, p50 / p99 µs`,
      `vCPU per 1,000 req/s (HTTP/1.1 at ${RATE}/s), per process`,
      'RSS MiB after the loads, per process',
    ],
    rows,
    notes: [
      `Each path is warmed up first (wrk, ${sizes.warmUpSeconds} s, not counted). Saturation: wrk -t1 -c${SATURATION_CONNECTIONS} and h2load -t1 -c${SATURATION_CONNECTIONS} -m10, ${sizes.saturationSeconds} s each; ` +
        `fixed rate: our constant-rate generator, ${sizes.rateMs / 1000} s, HTTP/1.1 over 4 keep-alive connections, HTTP/2 as up to 16 streams on one connection. ` +
        'HTTP/2 is h2c (prior knowledge), over TLS with ALPN h2 on the TLS row. The proxies speak HTTP/1.1 keep-alive to the origin; the origin is one nginx worker.',
      'The Ambit rows run in one mesh of `ambitctl local up` (nodes bench-a and bench-b): the ingress gateway pod (bench-a) routes with a VirtualService bound to its Gateway ' +
        '(port 80 HTTP, port 443 HTTPS SIMPLE with a self-signed ECDSA P-256 Secret) over HBONE mTLS to bench-b\'s ztunnel, which delivers to the origin; ' +
        'on the last row the service has `istio.io/use-waypoint`, so the gateway sends to the waypoint (bench-a), which sends over HBONE to bench-b\'s ztunnel. ' +
        'The client is the suite\'s process; each Ambit process is one Node process (one vCPU at most), on a 2-vCPU machine shared with the load generator.',
      ...(failures.length === 0 ? [] : [`failures: ${failures.join('; ')}`]),
      ...notes,
    ],
  };
}
