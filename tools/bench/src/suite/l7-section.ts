import { freePort, rssOf } from '../control-plane-process.js';
import { connectTo, type Endpoint } from '../l4-client.js';
import { httpRequests, type RateFigures } from './l4-load.js';
import { h2loadSaturation, http2AtRate, wrkSaturation, type SaturationFigures } from './l7-load.js';
import { startHaproxy, startNginx, type RunningProxy } from './proxies.js';
import type { Section, SectionResult, SuiteContext } from './section.js';
import { num, ratio, type Cell, type Table } from './table.js';
import { missing, type ToolName } from './tools.js';

/**
 * L7: HTTP/1.1 and HTTP/2 (h2c) with 1 KiB answers from an nginx origin, at a fixed
 * offered rate (our constant-rate generator) and at saturation (wrk, h2load), straight to
 * the origin and through each proxy. Every proxy is one entry of `TARGETS`: the Ambit
 * gateway and waypoint rows become measurements by giving their entry a `start`.
 */
interface StartedTarget {
  readonly h1: Endpoint;
  readonly h2: Endpoint;
  /** The proxy's processes (CPU and RSS are read from them). */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

interface L7Target {
  readonly name: string;
  readonly needs: readonly ToolName[];
  /** Absent: the row says `pending` instead of figures. */
  readonly start?: (context: SuiteContext, origin: Endpoint) => Promise<StartedTarget>;
  readonly pending?: string;
}

const NOT_BUILT = 'not built yet (issue #5)';

const TARGETS: readonly L7Target[] = [
  {
    name: 'direct to the origin (baseline)',
    needs: [],
    // Filled in by `run`: the origin's own listeners, no proxy.
  },
  {
    name: 'haproxy, HTTP mode (1 thread)',
    needs: ['haproxy'],
    start: async (context, origin) => {
      const proxy = await startHaproxy(context.tools.haproxy.path!, `${context.dir}/haproxy`, [
        { name: 'h1', mode: 'h1', port: await freePort(), backend: origin },
        { name: 'h2', mode: 'h2', port: await freePort(), backend: origin },
      ]);
      return started(proxy);
    },
  },
  {
    name: 'nginx reverse proxy (1 worker)',
    needs: ['nginx'],
    start: async (context, origin) =>
      started(await startNginx(context.tools.nginx.path!, `${context.dir}/nginx-proxy`, { role: 'proxy', upstream: origin, ports: { h1: await freePort(), h2: await freePort() } })),
  },
  { name: 'Ambit ingress gateway', needs: [], pending: NOT_BUILT },
  { name: 'Ambit ingress gateway, TLS termination', needs: [], pending: NOT_BUILT },
  { name: 'Ambit gateway → waypoint → ztunnel → app', needs: [], pending: NOT_BUILT },
];

function started(proxy: RunningProxy): StartedTarget {
  return { h1: proxy.listeners['h1']!, h2: proxy.listeners['h2']!, pids: [proxy.process.pid], stop: () => proxy.process.stop() };
}

interface Sizes {
  readonly rateMs: number;
  readonly saturationSeconds: number;
}
const FULL: Sizes = { rateMs: 10_000, saturationSeconds: 10 };
const QUICK: Sizes = { rateMs: 2000, saturationSeconds: 2 };
const RATE = 1000;
const SATURATION_CONNECTIONS = 32;

interface TargetFigures {
  h1Rate?: RateFigures;
  h2Rate?: RateFigures;
  h1Saturation?: SaturationFigures;
  h2Saturation?: SaturationFigures;
  rssMiB?: number;
  skipped?: string;
}

export const l7Section: Section = {
  name: 'L7',
  async run(context: SuiteContext): Promise<SectionResult> {
    const sizes = context.quick ? QUICK : FULL;
    const noOrigin = missing(context.tools, 'nginx');
    if (noOrigin !== undefined) return { tables: [table(new Map(), sizes, [`every L7 row ${noOrigin}: nginx serves the origin`])], figures: {} };
    const origin = await startNginx(context.tools.nginx.path!, `${context.dir}/nginx-origin`, { role: 'origin', ports: { h1: await freePort(), h2: await freePort() } });
    const figures = new Map<string, TargetFigures>();
    try {
      const originH1 = origin.listeners['h1']!;
      for (const target of TARGETS) {
        if (target.pending !== undefined) continue;
        const skip = missing(context.tools, ...target.needs);
        if (skip !== undefined) {
          figures.set(target.name, { skipped: skip });
          continue;
        }
        context.log(`L7: ${target.name}`);
        const running: StartedTarget =
          target.start === undefined ? { h1: originH1, h2: origin.listeners['h2']!, pids: [origin.process.pid], stop: async () => undefined } : await target.start(context, originH1);
        try {
          figures.set(target.name, await measure(context, running, sizes));
        } finally {
          await running.stop();
        }
      }
    } finally {
      await origin.process.stop();
    }
    const result: Record<string, number> = {};
    const haproxy = figures.get(TARGETS[1]!.name)?.h1Saturation?.requestsPerSecond;
    if (haproxy !== undefined) result['l7.haproxy.h1.saturationRps'] = haproxy;
    return { tables: [table(figures, sizes, [])], figures: result };
  },
};

async function measure(context: SuiteContext, target: StartedTarget, sizes: Sizes): Promise<TargetFigures> {
  const figures: TargetFigures = {};
  const path = { name: 'l7', dial: () => connectTo(target.h1), pids: target.pids };
  figures.h1Rate = await httpRequests(path, `${target.h1.ip}:${target.h1.port}`, { ratePerSecond: RATE, durationMs: sizes.rateMs, connections: 4 });
  figures.h2Rate = await http2AtRate(target.h2, target.pids, { ratePerSecond: RATE, durationMs: sizes.rateMs, connections: 16 });
  figures.rssMiB = Math.max(...(await Promise.all(target.pids.map(rssOf))));
  if (missing(context.tools, 'wrk') === undefined) figures.h1Saturation = await wrkSaturation(context.tools.wrk.path!, target.h1, sizes.saturationSeconds, SATURATION_CONNECTIONS);
  if (missing(context.tools, 'h2load') === undefined) figures.h2Saturation = await h2loadSaturation(context.tools.h2load.path!, target.h2, sizes.saturationSeconds, SATURATION_CONNECTIONS);
  return figures;
}

function table(figures: ReadonlyMap<string, TargetFigures>, sizes: Sizes, notes: readonly string[]): Table {
  const base = figures.get(TARGETS[0]!.name);
  const rows: Cell[][] = TARGETS.map((target) => {
    if (target.pending !== undefined) return [target.name, target.pending];
    const own = figures.get(target.name);
    if (own === undefined || own.skipped !== undefined) return [target.name, own?.skipped ?? 'not run'];
    const p = (rate: RateFigures | undefined, q: number): number | undefined => rate?.run.latency.percentile(q);
    const isBase = own === base;
    return [
      target.name,
      ratio(own.h1Saturation?.requestsPerSecond, base?.h1Saturation?.requestsPerSecond),
      ratio(own.h2Saturation?.requestsPerSecond, base?.h2Saturation?.requestsPerSecond),
      num(own.h1Saturation?.requestsPerSecond),
      num(own.h2Saturation?.requestsPerSecond),
      `${num(p(own.h1Rate, 50))} / ${num(p(own.h1Rate, 99))}`,
      isBase ? '0' : `+${num((p(own.h1Rate, 50) ?? Number.NaN) - (p(base?.h1Rate, 50) ?? Number.NaN))}`,
      `${num(p(own.h2Rate, 50))} / ${num(p(own.h2Rate, 99))}`,
      isBase ? '(origin)' : num(own.h1Rate!.vcpu[0]! / (RATE / 1000), 3),
      isBase ? '(origin)' : num(own.rssMiB),
    ];
  });
  return {
    title: 'L7: HTTP/1.1 and HTTP/2 (h2c), 1 KiB answers from an nginx origin',
    columns: [
      'path',
      'HTTP/1.1 saturation ÷ direct',
      'HTTP/2 saturation ÷ direct',
      'HTTP/1.1 saturation req/s (wrk)',
      'HTTP/2 saturation req/s (h2load)',
      `HTTP/1.1 at ${RATE}/s, p50 / p99 µs`,
      'HTTP/1.1 added p50 µs',
      `HTTP/2 at ${RATE}/s, p50 / p99 µs`,
      `proxy vCPU per 1,000 req/s (HTTP/1.1 at ${RATE}/s)`,
      'proxy RSS MiB',
    ],
    rows,
    notes: [
      `Saturation: wrk -t1 -c${SATURATION_CONNECTIONS} and h2load -t1 -c${SATURATION_CONNECTIONS} -m10, ${sizes.saturationSeconds} s each; ` +
        `fixed rate: our constant-rate generator, ${sizes.rateMs / 1000} s, HTTP/1.1 over 4 keep-alive connections, HTTP/2 as up to 16 streams on one connection. ` +
        'The proxies speak HTTP/1.1 keep-alive to the origin; the origin is one nginx worker.',
      ...notes,
    ],
  };
}
