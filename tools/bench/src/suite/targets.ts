import { num, type Table } from './table.js';

/**
 * The performance targets stated in the issues, each read from one named figure of the
 * run. A target whose figure is absent says so (its section skipped or failed);
 * one measured at a smaller size than the target names says so beside the verdict.
 */
export interface Target {
  readonly issue: number;
  readonly text: string;
  readonly figure: string;
  readonly compare: '<' | '<=' | '>=';
  readonly threshold: number;
  /** How the figure reads in the table. */
  readonly format: (value: number) => string;
  /** The figure holds, but measured at another size than the target's: returns that size's description. */
  readonly smallerThanStated?: (figures: Readonly<Record<string, number>>) => string | undefined;
}

const MB_PER_MIB = 1.048576;
const cpSize = (figures: Readonly<Record<string, number>>): string | undefined =>
  figures['cp.workloads'] !== undefined && (figures['cp.workloads'] < 10_000 || (figures['cp.clients'] ?? 0) < 100)
    ? `at ${num(figures['cp.workloads'])} workloads, ${num(figures['cp.clients'])} clients`
    : undefined;

export const TARGETS: readonly Target[] = [
  { issue: 3, text: 'one workload change reaches all clients, p99 < 100 ms (10,000 workloads, 100 clients)', figure: 'cp.pushP99Ms', compare: '<', threshold: 100, format: (v) => `${num(v, 1)} ms`, smallerThanStated: cpSize },
  { issue: 3, text: "a change's bytes on the wire are proportional to the change (≤ 2× a one-pod mesh's)", figure: 'cp.pushBytesRatio', compare: '<=', threshold: 2, format: (v) => `${num(v, 2)}×`, smallerThanStated: cpSize },
  { issue: 3, text: "a new client's full sync < 1 s", figure: 'cp.fullSyncMs', compare: '<', threshold: 1000, format: (v) => `${num(v)} ms`, smallerThanStated: cpSize },
  { issue: 3, text: 'control-plane RSS < 500 MB', figure: 'cp.rssMB', compare: '<', threshold: 500, format: (v) => `${num(v)} MB`, smallerThanStated: cpSize },
  { issue: 3, text: 'the CA signs ≥ 500 CSRs/s (over gRPC, authenticated)', figure: 'ca.csrPerSecond', compare: '>=', threshold: 500, format: (v) => `${num(v)} /s` },
  { issue: 4, text: 'bulk throughput through two ztunnels ≥ 50% of direct TCP', figure: 'l4.bulk.ratio', compare: '>=', threshold: 0.5, format: (v) => `${v.toFixed(2)}×` },
  { issue: 4, text: 'added p50 latency, 100-byte request/response ≤ 100 µs', figure: 'l4.rr.addedP50Us', compare: '<=', threshold: 100, format: (v) => `${num(v)} µs` },
  { issue: 4, text: 'a new connection through an existing HBONE pool ≤ 300 µs added at p50', figure: 'l4.newConnection.addedP50Us', compare: '<=', threshold: 300, format: (v) => `${num(v)} µs` },
  { issue: 4, text: 'ztunnel CPU ≤ 0.06 vCPU per 1,000 requests/s of 1 KB HTTP (busier ztunnel)', figure: 'l4.http.vcpuPer1000rps', compare: '<=', threshold: 0.06, format: (v) => `${num(v, 3)} vCPU` },
  { issue: 4, text: 'ztunnel RSS ≤ 80 MB with 1,000 open tunnelled connections (larger ztunnel)', figure: 'l4.rss.open1000MB', compare: '<=', threshold: 80, format: (v) => `${num(v)} MB` },
  { issue: 5, text: 'waypoint ≤ 0.20 vCPU per 1,000 requests/s (HTTP/1.1 keep-alive, 1 KB)', figure: 'l7.waypoint.vcpuPer1000rps', compare: '<=', threshold: 0.2, format: (v) => `${num(v, 3)} vCPU`},
  { issue: 5, text: 'waypoint RSS ≤ 70 MB', figure: 'l7.waypoint.rssMB', compare: '<=', threshold: 70, format: (v) => `${num(v)} MB`},
  { issue: 5, text: "ingress gateway's request rate ≥ 60% of haproxy's in HTTP mode", figure: 'l7.gateway.haproxyRatio', compare: '>=', threshold: 0.6, format: (v) => `${v.toFixed(2)}×`},
  { issue: 5, text: 'added p50 through gateway → waypoint → ztunnel → app ≤ 1 ms at 1,000 rps', figure: 'l7.fullPath.addedP50Us', compare: '<=', threshold: 1000, format: (v) => `${num(v)} µs`},
];

export type Verdict = 'met' | 'not met' | 'not measured';

export interface TargetResult {
  readonly issue: number;
  readonly target: string;
  readonly verdict: Verdict;
  readonly figure: string;
  readonly note?: string;
}

/** Figures derived for the targets' units (MB, not the MiB the sections measure). */
export function withDerivedFigures(figures: Readonly<Record<string, number>>): Record<string, number> {
  const derived: Record<string, number> = { ...figures };
  if (figures['cp.rssMiB'] !== undefined) derived['cp.rssMB'] = figures['cp.rssMiB'] * MB_PER_MIB;
  if (figures['l4.rss.open1000MiB'] !== undefined) derived['l4.rss.open1000MB'] = figures['l4.rss.open1000MiB'] * MB_PER_MIB;
  if (figures['l7.waypoint.rssMiB'] !== undefined) derived['l7.waypoint.rssMB'] = figures['l7.waypoint.rssMiB'] * MB_PER_MIB;
  return derived;
}

export function evaluateTargets(figures: Readonly<Record<string, number>>, targets: readonly Target[] = TARGETS): TargetResult[] {
  const all = withDerivedFigures(figures);
  return targets.map((target) => {
    const value = all[target.figure];
    if (value === undefined || !Number.isFinite(value)) {
      return { issue: target.issue, target: target.text, verdict: 'not measured', figure: '—', note: 'its section did not run or failed (see above)' };
    }
    const met = target.compare === '<' ? value < target.threshold : target.compare === '<=' ? value <= target.threshold : value >= target.threshold;
    const smaller = target.smallerThanStated?.(all);
    return { issue: target.issue, target: target.text, verdict: met ? 'met' : 'not met', figure: target.format(value), ...(smaller === undefined ? {} : { note: `measured ${smaller} (--quick), not at the stated size` }) };
  });
}

export function targetsTable(results: readonly TargetResult[]): Table {
  return {
    title: 'Targets from the issues',
    columns: ['issue', 'target', 'verdict', 'figure', 'note'],
    rows: results.map((r) => [`#${r.issue}`, r.target, r.verdict === 'not measured' ? r.verdict : `**${r.verdict}**`, r.figure, r.note ?? '']),
  };
}
